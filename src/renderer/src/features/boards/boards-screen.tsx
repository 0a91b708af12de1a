/** Boards: the org's boards as a tree; choosing one makes it where dropped files go. */
import { ExternalLink, RefreshCw } from 'lucide-react'
import { useApi, useConnection } from '../../api-context.tsx'
import { showToast, useAppStore } from '../../store/app-store.ts'
import { errorMessage, loadBoards } from '../../store/host-sync.ts'
import { Button, IconButton } from '../../ui/button.tsx'
import { BoardTreeView } from './board-tree-view.tsx'

/** The boards screen. */
export function BoardsScreen() {
  const api = useApi()
  const connection = useConnection()
  const boards = useAppStore((s) => s.boards)
  const lastBoard = useAppStore((s) => s.settings?.lastBoard ?? null)
  const open = async (token: string) => {
    try {
      const url = await api.invoke('boards:web-url', { board: token })
      if (url) await connection.openExternal(url)
    } catch (e) {
      showToast({ level: 'error', message: `Could not open the board: ${errorMessage(e)}` })
    }
  }
  return (
    <section className="screen" aria-labelledby="boards-title">
      <header className="screen-header">
        <div>
          <h1 id="boards-title">Boards</h1>
          <p className="muted small">
            {lastBoard ? (
              <>
                Files you drop go to <strong>{lastBoard.title}</strong>.
              </>
            ) : (
              'Choose the board that files you drop onto the window go to.'
            )}
          </p>
        </div>
        <div className="row">
          {lastBoard && (
            <Button
              size="sm"
              icon={<ExternalLink size={14} aria-hidden />}
              onClick={() => void open(lastBoard.token)}
            >
              {`Open ${lastBoard.title} in Playbook`}
            </Button>
          )}
          <IconButton
            label="Reload boards"
            icon={<RefreshCw size={16} />}
            onClick={() => {
              useAppStore.setState({ boards: null })
              void loadBoards(api)
            }}
          />
        </div>
      </header>
      <BoardTreeView
        label="Boards"
        boards={boards}
        selected={lastBoard?.token ?? null}
        onSelect={(board) => {
          void api
            .invoke('settings:set', { lastBoard: { token: board.token, title: board.title } })
            .then((settings) => useAppStore.setState({ settings }))
        }}
      />
    </section>
  )
}
