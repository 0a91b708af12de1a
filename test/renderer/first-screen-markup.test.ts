/**
 * The BUILT first-screen drawing (out/first-screen/index.js, the renderer's own components drawn
 * in Node), as Electron's main loads it. Needs `npm run build` first (`npm test` builds).
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { standInData, standInFirstScreen } from '../../bench/sections/ui.ts'
import { firstScreenFile, loadFirstScreenDrawing } from '../../src/engine/first-screen.ts'
import type { FirstScreenAnswers } from '../../src/shared/first-screen.ts'
import { projectRoot } from '../main/standin/boot.ts'

const draw = await loadFirstScreenDrawing(firstScreenFile(join(projectRoot, 'out', 'renderer')))

/** A signed-in first screen whose newest job has `title`. */
function answersWith(title: string, count = 500): FirstScreenAnswers {
  const data = standInData(count, Date.now())
  const answers = standInFirstScreen(data, count)
  const jobs = answers.signedIn!.snapshot.jobs
  return {
    ...answers,
    signedIn: {
      ...answers.signedIn!,
      snapshot: { ...answers.signedIn!.snapshot, jobs: [{ ...jobs[0]!, title }, ...jobs.slice(1)] },
    },
  }
}

describe('the built first-screen drawing', () => {
  it('draws the activity screen: the app frame (inert: a picture until the app takes over), the totals and the newest rows', () => {
    const html = draw!(answersWith('IMG_00000.jpg'))
    expect(html).toMatch(
      /^<div inert aria-hidden="true" data-first-screen="true" class="app-frame">/,
    )
    expect(html).toContain('<h1 id="activity-title"')
    expect(html).toContain('500 uploading')
    expect(html).toContain('aria-label="IMG_00000.jpg: Uploading"')
    expect(html).toContain('aria-label="IMG_00001.jpg: Uploading"')
    // The rows a tall window shows, not the whole first batch.
    const rows = html.match(/class="job-row/g)?.length ?? 0
    expect(rows).toBeGreaterThan(10)
    expect(rows).toBeLessThan(30)
  })

  it('draws the rows a window of the given height shows', () => {
    const html = draw!(answersWith('IMG_00000.jpg'), 640)
    expect(html.match(/class="job-row/g)).toHaveLength(10)
  })

  it('puts no style attribute in the markup (the CSP refuses them): places come as data-style', () => {
    const html = draw!(answersWith('IMG_00000.jpg'))
    expect(html).not.toMatch(/\sstyle="/)
    expect(html).toContain('data-style="transform:translateY(64px)')
  })

  it('escapes what a file name or a server answer holds', () => {
    const html = draw!(answersWith('<img src=x onerror=alert(1)>"quoted".jpg'))
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&lt;img src=x onerror=alert(1)>')
  })

  it('draws each call from its own answers only', () => {
    draw!(answersWith('first-call.jpg', 700))
    const html = draw!(answersWith('second-call.jpg', 300))
    expect(html).not.toContain('first-call.jpg')
    expect(html).not.toContain('700 uploading')
    expect(html).toContain('second-call.jpg')
  })
})
