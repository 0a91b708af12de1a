/** Signed in to several organizations: the user picks the one to sync with. */
import { useEffect, useState } from 'react'
import { Building2 } from 'lucide-react'
import type { Org } from '../../../../shared/account-models.ts'
import { useApi } from '../../api-context.tsx'
import { useAppStore } from '../../store/app-store.ts'
import { errorMessage } from '../../store/host-sync.ts'
import { Button } from '../../ui/button.tsx'
import { ErrorState, LoadingState } from '../../ui/states.tsx'

/** Lists the orgs; choosing one finishes sign-in. */
export function OrgPicker() {
  const api = useApi()
  const [orgs, setOrgs] = useState<readonly Org[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  useEffect(() => {
    api.invoke('orgs:list').then(setOrgs, (e: unknown) => setError(errorMessage(e)))
  }, [api])
  const choose = async (slug: string) => {
    setBusy(slug)
    try {
      useAppStore.setState({ session: await api.invoke('orgs:select', { slug }) })
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(null)
    }
  }
  return (
    <main className="sign-in" aria-labelledby="org-title">
      <div className="sign-in-card">
        <h1 id="org-title">Choose an organization</h1>
        {error && <ErrorState title="Could not load organizations" message={error} />}
        {!orgs && !error && <LoadingState label="Loading organizations…" />}
        <ul className="org-list">
          {orgs?.map((org) => (
            <li key={org.slug}>
              <Button
                className="org-button"
                icon={<Building2 size={16} aria-hidden />}
                busy={busy === org.slug}
                onClick={() => void choose(org.slug)}
              >
                {org.name}
              </Button>
            </li>
          ))}
        </ul>
        <Button
          variant="ghost"
          onClick={() =>
            void api.invoke('session:sign-out').then((session) => useAppStore.setState({ session }))
          }
        >
          Sign out
        </Button>
      </div>
    </main>
  )
}
