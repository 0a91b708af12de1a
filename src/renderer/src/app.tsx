/** The renderer's root: for now the first screen, sign-in. */
export function App() {
  return (
    <main aria-labelledby="app-title">
      <h1 id="app-title">Playbook Sync</h1>
      <p>Keep a folder on your computer in sync with a Playbook board.</p>
      <button type="button">Try it with the sandbox</button>
    </main>
  )
}
