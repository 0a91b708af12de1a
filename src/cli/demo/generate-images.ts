/**
 * The demo's sample folder: real PNG and JPEG images drawn here (gradients and shapes rendered
 * from SVG by sharp), so the demo needs no network and no bundled binaries.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'

const PALETTES: readonly (readonly [string, string, string])[] = [
  ['#ff6b6b', '#ffd93d', '#1a1a2e'],
  ['#4d96ff', '#6bcb77', '#ffffff'],
  ['#845ec2', '#ff9671', '#f9f871'],
  ['#00c9a7', '#005f73', '#e9d8a6'],
  ['#f72585', '#3a0ca3', '#4cc9f0'],
  ['#ffbe0b', '#fb5607', '#3a86ff'],
  ['#2b2d42', '#8d99ae', '#ef233c'],
  ['#606c38', '#fefae0', '#bc6c25'],
]

/** The SVG for picture `index`: a gradient, a few shapes and a label. */
export function sampleSvg(index: number, width: number, height: number): string {
  const [a, b, c] = PALETTES[index % PALETTES.length] ?? ['#000', '#888', '#fff']
  const angle = (index * 47) % 360
  const shapes: string[] = []
  for (let k = 0; k < 5; k++) {
    const x = ((index + 1) * (k + 3) * 97) % width
    const y = ((index + 2) * (k + 5) * 61) % height
    const r = 30 + (((index + k) * 37) % Math.round(Math.min(width, height) / 4))
    shapes.push(
      k % 2 === 0
        ? `<circle cx="${x}" cy="${y}" r="${r}" fill="${c}" fill-opacity="0.55"/>`
        : `<rect x="${x - r}" y="${y - r}" width="${r * 2}" height="${r * 1.4}" rx="12" fill="${a}" fill-opacity="0.6" transform="rotate(${(k * 23 + index * 11) % 90} ${x} ${y})"/>`,
    )
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs><linearGradient id="g" gradientTransform="rotate(${angle} .5 .5)">
    <stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#g)"/>
  ${shapes.join('\n  ')}
  <text x="40" y="${height - 50}" font-family="sans-serif" font-size="64" font-weight="bold" fill="${c}">Sample ${index + 1}</text>
</svg>`
}

/** Writes `count` images into `folder` (PNG and JPEG alternating); returns their paths. */
export async function generateSampleImages(
  folder: string,
  count = 8,
  options: { width?: number; height?: number; prefix?: string } = {},
): Promise<readonly string[]> {
  const width = options.width ?? 1200
  const height = options.height ?? 800
  const prefix = options.prefix ?? 'sample'
  await mkdir(folder, { recursive: true })
  const files: string[] = []
  for (let i = 0; i < count; i++) {
    const jpeg = i % 2 === 1
    const file = join(folder, `${prefix}-${String(i + 1).padStart(2, '0')}.${jpeg ? 'jpg' : 'png'}`)
    const image = sharp(Buffer.from(sampleSvg(i, width, height)))
    await (jpeg ? image.jpeg({ quality: 85 }) : image.png()).toFile(file)
    files.push(file)
  }
  return files
}
