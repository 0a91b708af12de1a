/**
 * Draws the app icon (build/icon.png, 1024 px) from a small SVG with sharp. Run once when the
 * icon changes (`node scripts/make-icon.ts`); electron-builder makes the .icns and .ico from it.
 */
import sharp from 'sharp'

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="0 0 1024 1024">
  <rect x="64" y="64" width="896" height="896" rx="200" fill="#1f2937"/>
  <path d="M512 250a262 262 0 0 1 248 178h-92l124 130 124-130h-80A338 338 0 0 0 180 430l72 34a262 262 0 0 1 260-214z" fill="#60a5fa"/>
  <path d="M512 774a262 262 0 0 1-248-178h92L232 466 108 596h80a338 338 0 0 0 656-2l-72-34a262 262 0 0 1-260 214z" fill="#a7f3d0"/>
</svg>`

await sharp(Buffer.from(svg))
  .png()
  .toFile(new URL('../build/icon.png', import.meta.url).pathname)
