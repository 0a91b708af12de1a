/**
 * A small web view for people: `/` lists the boards, `/boards/{token}` shows a board's assets as an
 * image grid, `/files/{assetToken}` serves stored bytes. Plain HTML and inline CSS, nothing external.
 */
import { HttpError, escapeHtml, sendHtml } from './http-util.ts'
import type { Asset, Board } from './model.ts'
import type { Route, RouteContext } from './router.ts'
import { serveFile } from './serve-file.ts'
import { versionHistory } from './version-history.ts'

/** Builds the web view routes. */
export function webRoutes(): Route[] {
  return [
    { method: 'GET', pattern: '/', auth: 'none', handle: home },
    { method: 'GET', pattern: '/boards/:token', auth: 'none', handle: boardPage },
    { method: 'GET', pattern: '/files/:token', auth: 'none', handle: file },
    { method: 'HEAD', pattern: '/files/:token', auth: 'none', handle: file },
  ]
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;background:#f6f6f4}
header{padding:20px 32px;border-bottom:1px solid #e4e4e0;background:#fff}header a{color:inherit;text-decoration:none;font-weight:600}
main{max-width:1100px;margin:0 auto;padding:24px 32px}h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px;color:#555}
p.sub{color:#6b6b6b;margin:0 0 20px}ul.boards{list-style:none;padding:0;margin:0}ul.boards li{margin:0}
ul.boards a{display:flex;justify-content:space-between;padding:10px 14px;margin:4px 0;background:#fff;border:1px solid #e4e4e0;border-radius:8px;color:inherit;text-decoration:none}
ul.boards a:hover{border-color:#b9b9b3}.count{color:#8a8a85}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:14px}
.tile{background:#fff;border:1px solid #e4e4e0;border-radius:8px;overflow:hidden}
.thumb{aspect-ratio:4/3;display:flex;align-items:center;justify-content:center;background:#efefec;color:#8a8a85;font-size:13px}
.thumb img{width:100%;height:100%;object-fit:cover}.meta{padding:8px 10px;font-size:13px}.meta .t{font-weight:500;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.meta .s{color:#8a8a85}.err,.meta .err{color:#b3261e}a.back{color:#6b6b6b;text-decoration:none;font-size:13px}.empty{color:#8a8a85;padding:40px 0;text-align:center}`

/** Wraps a body in the sandbox's page layout. */
export function pageShell(title: string, body: string, refreshSeconds?: number): string {
  const refresh = refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : ''
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">${refresh}<title>${escapeHtml(title)} · Playbook sandbox</title><style>${STYLE}</style></head><body><header><a href="/">Playbook sandbox</a></header><main>${body}</main></body></html>`
}

function formatSize(size: number | null): string {
  if (size === null) return ''
  if (size < 1024) return `${size} B`
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`
  return `${(size / 1024 / 1024).toFixed(1)} MB`
}

async function home(ctx: RouteContext): Promise<void> {
  const { store } = ctx
  const sections = store.state.orgs.map((org) => {
    const boards = store.boardsOf(org.slug)
    const byParent = (parent: number | null): Board[] =>
      boards.filter((b) => b.parent_id === parent)
    const render = (list: Board[]): string =>
      list
        .map((b) => {
          const count = store
            .assetsOf(org.slug)
            .filter((a) => a.collection_token === b.token).length
          const pad = b.tree_depth * 24
          return `<li style="margin-left:${pad}px"><a href="/boards/${encodeURIComponent(b.token)}"><span>${escapeHtml(b.title)}</span><span class="count">${count} asset${count === 1 ? '' : 's'}</span></a></li>${render(byParent(b.id))}`
        })
        .join('')
    return `<h2>${escapeHtml(org.name)} <span class="count">(${escapeHtml(org.slug)})</span></h2><ul class="boards">${render(byParent(null)) || '<li class="empty">No boards yet</li>'}</ul>`
  })
  sendHtml(
    ctx.res,
    200,
    pageShell(
      'Boards',
      `<h1>Boards</h1><p class="sub">Everything this local Playbook holds.</p>${sections.join('')}`,
    ),
  )
}

function tile(asset: Asset): string {
  const title = escapeHtml(asset.title)
  let thumb: string
  if (asset.file && asset.media_type?.startsWith('image/')) {
    thumb = `<img src="/files/${encodeURIComponent(asset.token)}" alt="${title}" loading="lazy">`
  } else if (asset.is_skeleton) {
    thumb = 'Processing…'
  } else if (asset.source_error) {
    thumb = '<span class="err">Failed</span>'
  } else if (asset.is_link) {
    thumb = 'Link'
  } else {
    thumb = escapeHtml(asset.media_type ?? 'file')
  }
  const status = asset.source_error
    ? `<div class="s err">${escapeHtml(asset.source_error)}</div>`
    : `<div class="s">${escapeHtml([asset.media_type ?? '', formatSize(asset.size)].filter(Boolean).join(' · '))}</div>`
  const open = asset.file ? `<a href="/files/${encodeURIComponent(asset.token)}">` : ''
  return `<div class="tile">${open}<div class="thumb">${thumb}</div>${open ? '</a>' : ''}<div class="meta"><div class="t" title="${title}">${title}</div>${status}${versionHistory(asset)}</div></div>`
}

async function boardPage(ctx: RouteContext): Promise<void> {
  const board = ctx.store.state.boards[ctx.params.token ?? '']
  if (!board) {
    sendHtml(
      ctx.res,
      404,
      pageShell('Not found', '<h1>Board not found</h1><p><a href="/">All boards</a></p>'),
    )
    return
  }
  const assets = ctx.store.assetsOf(board.orgSlug).filter((a) => a.collection_token === board.token)
  const grid =
    assets.length > 0
      ? `<div class="grid">${assets.map(tile).join('')}</div>`
      : '<p class="empty">No assets on this board yet.</p>'
  const children = ctx.store.boardsOf(board.orgSlug).filter((b) => b.parent_id === board.id)
  const inside =
    children.length > 0
      ? `<h2>Boards inside</h2><ul class="boards child-boards">${children.map((b) => `<li><a href="/boards/${encodeURIComponent(b.token)}"><span>${escapeHtml(b.title)}</span><span class="count">child board</span></a></li>`).join('')}</ul><h2>Assets</h2>`
      : ''
  const sub = `${assets.length} asset${assets.length === 1 ? '' : 's'}${board.description ? ` · ${escapeHtml(board.description)}` : ''}`
  sendHtml(
    ctx.res,
    200,
    pageShell(
      board.title,
      `<a class="back" href="/">← All boards</a><h1>${escapeHtml(board.title)}</h1><p class="sub">${sub} · refreshes every 5 s</p>${inside}${grid}`,
      5,
    ),
  )
}

async function file(ctx: RouteContext): Promise<void> {
  const asset = ctx.store.state.assets[ctx.params.token ?? '']
  if (!asset || !asset.file) throw new HttpError(404, 'no stored bytes for this asset')
  await serveFile(
    ctx.req,
    ctx.res,
    ctx.store.path(asset.file),
    asset.size ?? 0,
    asset.media_type ?? 'application/octet-stream',
  )
}
