/** The current time, refreshed every `intervalMs`, for "5 min ago" labels that stay true. */
import { useEffect, useState } from 'react'

/** Returns Date.now(), updated on an interval. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}
