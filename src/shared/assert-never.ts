/** Makes a `switch` over a discriminated union exhaustive: adding a variant breaks the build here. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`)
}
