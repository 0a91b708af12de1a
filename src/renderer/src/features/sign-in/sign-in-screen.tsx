/**
 * Sign-in: the sandbox (the default, no account needed), an e-mailed magic link (opened through
 * the app's link scheme, or pasted), or a personal API token. The token goes to the host and
 * never comes back.
 */
import { useState, type FormEvent } from 'react'
import { FlaskConical, KeyRound, Link2, Mail } from 'lucide-react'
import type { SessionState } from '../../../../shared/account-models.ts'
import { useApi } from '../../api-context.tsx'
import { useAppStore } from '../../store/app-store.ts'
import { errorMessage } from '../../store/host-sync.ts'
import { Button } from '../../ui/button.tsx'
import { TextField } from '../../ui/field.tsx'

/** The first screen for a signed-out (or expired) user. */
export function SignInScreen({ session }: { readonly session: SessionState }) {
  const api = useApi()
  const defaultApiUrl = useAppStore((s) => s.info?.defaultApiUrl ?? 'https://api.playbook.com')
  const [server, setServer] = useState(defaultApiUrl)
  const [email, setEmail] = useState('')
  const [link, setLink] = useState('')
  const [token, setToken] = useState('')
  const [busy, setBusy] = useState<null | 'sandbox' | 'email' | 'link' | 'token'>(null)
  const [error, setError] = useState<{ where: string; message: string } | null>(null)

  const run = async (where: NonNullable<typeof busy>, action: () => Promise<SessionState>) => {
    setBusy(where)
    setError(null)
    try {
      useAppStore.setState({ session: await action() })
    } catch (e) {
      setError({ where, message: errorMessage(e) })
    } finally {
      setBusy(null)
    }
  }
  const apiUrl = server.trim() === '' ? undefined : server.trim()
  const onEmail = (e: FormEvent) => {
    e.preventDefault()
    void run('email', () => api.invoke('session:request-link', { email: email.trim(), apiUrl }))
  }
  const onLink = (e: FormEvent) => {
    e.preventDefault()
    void run('link', () => api.invoke('session:complete-link', { link: link.trim() }))
  }
  const onToken = (e: FormEvent) => {
    e.preventDefault()
    void run('token', () => api.invoke('session:sign-in-token', { token: token.trim(), apiUrl }))
  }
  const waiting = session.kind === 'waiting-for-link'
  const errorFor = (where: string) => (error?.where === where ? error.message : null)

  return (
    <main className="sign-in" aria-labelledby="app-title">
      <div className="sign-in-card">
        <header className="sign-in-header">
          <div className="brand-mark" aria-hidden />
          <h1 id="app-title">Playbook Sync</h1>
          <p className="muted">Keep a folder on your computer in sync with a Playbook board.</p>
        </header>

        {session.kind === 'expired' && (
          <p className="banner banner-warning" role="alert">
            Your session ended. Sign in again: nothing in the queue is lost.
          </p>
        )}

        <section className="sign-in-section" aria-labelledby="sandbox-title">
          <h2 id="sandbox-title" className="section-title">
            New here?
          </h2>
          <p className="muted small">
            A local Playbook on this computer: no account, nothing leaves the machine.
          </p>
          <Button
            variant="primary"
            icon={<FlaskConical size={16} aria-hidden />}
            busy={busy === 'sandbox'}
            onClick={() => void run('sandbox', () => api.invoke('session:use-sandbox'))}
          >
            Try it with the sandbox
          </Button>
          {errorFor('sandbox') && <p className="field-error">{errorFor('sandbox')}</p>}
        </section>

        <div className="divider" role="separator">
          <span>or sign in to Playbook</span>
        </div>

        <section className="sign-in-section" aria-labelledby="email-title">
          <h2 id="email-title" className="section-title">
            <Mail size={15} aria-hidden /> Email me a sign-in link
          </h2>
          <form className="inline-form" onSubmit={onEmail}>
            <TextField
              label="Email"
              type="email"
              autoComplete="email"
              required
              maxLength={320}
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={errorFor('email')}
            />
            <Button type="submit" busy={busy === 'email'} disabled={email.trim() === ''}>
              Send link
            </Button>
          </form>
          {waiting && (
            <p className="banner banner-info" role="status">
              Check {session.email}: open the link on this computer, or paste it below.
            </p>
          )}
          <form className="inline-form" onSubmit={onLink}>
            <TextField
              label="Paste the link from the email"
              placeholder="playbook-sync://auth?code=…"
              value={link}
              maxLength={4096}
              onChange={(e) => setLink(e.currentTarget.value)}
              error={errorFor('link')}
            />
            <Button
              type="submit"
              icon={<Link2 size={16} aria-hidden />}
              busy={busy === 'link'}
              disabled={link.trim() === ''}
            >
              Finish sign-in
            </Button>
          </form>
        </section>

        <section className="sign-in-section" aria-labelledby="token-title">
          <h2 id="token-title" className="section-title">
            <KeyRound size={15} aria-hidden /> Use an API token
          </h2>
          <form className="inline-form" onSubmit={onToken}>
            <TextField
              label="API token"
              type="password"
              autoComplete="off"
              placeholder="pb_…"
              value={token}
              maxLength={4096}
              onChange={(e) => setToken(e.currentTarget.value)}
              error={errorFor('token')}
              hint="Create one in Playbook under Developer → SDK."
            />
            <Button type="submit" busy={busy === 'token'} disabled={token.trim() === ''}>
              Sign in
            </Button>
          </form>
        </section>

        <details className="advanced">
          <summary>Server</summary>
          <TextField
            label="Playbook API address"
            type="url"
            value={server}
            onChange={(e) => setServer(e.currentTarget.value)}
            hint="Leave as is unless your studio runs its own."
          />
        </details>
      </div>
    </main>
  )
}
