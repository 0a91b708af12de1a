import { describe, expect, it } from 'vitest'
import {
  createRouteMissingMemory,
  reportRouteMissing,
} from '../../../../src/engine/playbook/assumed/route-missing.ts'

describe('the memory of assumed routes a Playbook lacks', () => {
  it('tells its own listeners once per server and route', () => {
    const memory = createRouteMissingMemory()
    const told: string[] = []
    memory.onTold((notice) => told.push(`${notice.route}: ${notice.message}`))
    expect(reportRouteMissing(memory, 'https://a', 'versions', 'no versions')).toBe(true)
    expect(reportRouteMissing(memory, 'https://a', 'versions', 'no versions')).toBe(false)
    expect(reportRouteMissing(memory, 'https://b', 'versions', 'no versions on b')).toBe(true)
    expect(reportRouteMissing(memory, 'https://a', 'move', 'no moves')).toBe(true)
    expect(told).toEqual(['versions: no versions', 'versions: no versions on b', 'move: no moves'])
    expect(memory.isMissing('https://a', 'versions')).toBe(true)
    expect(memory.isMissing('https://a', 'update')).toBe(false)
  })

  it('two engines (two memories) in one process share neither facts nor notices', () => {
    const first = createRouteMissingMemory()
    const second = createRouteMissingMemory()
    const heard: string[] = []
    first.onTold(() => heard.push('first'))
    second.onTold(() => heard.push('second'))
    reportRouteMissing(first, 'https://a', 'versions', 'x')
    expect(second.isMissing('https://a', 'versions')).toBe(false)
    expect(reportRouteMissing(second, 'https://a', 'versions', 'x')).toBe(true)
    expect(heard).toEqual(['first', 'second'])
  })

  it('a listener that throws neither stops the others nor the caller', () => {
    const memory = createRouteMissingMemory()
    const heard: string[] = []
    memory.onTold(() => {
      throw new Error('broken listener')
    })
    const stop = memory.onTold((notice) => heard.push(notice.route))
    expect(reportRouteMissing(memory, 'https://a', 'update', 'x')).toBe(true)
    stop()
    memory.tell('move', 'y')
    expect(heard).toEqual(['update'])
  })
})
