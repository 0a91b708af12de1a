/**
 * Argument parsing for `playbook-sync` with node:util parseArgs: global options (each with an
 * environment variable) plus each command's own, strictly checked so a typo is a usage error.
 */
import { parseArgs } from 'node:util'
import { usageError } from './exit-codes.ts'

type OptionSpec = {
  readonly type: 'string' | 'boolean'
  readonly short?: string
  readonly multiple?: boolean
}

/** Options every command accepts. */
export const globalOptions = {
  api: { type: 'string' },
  token: { type: 'string' },
  org: { type: 'string' },
  home: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  concurrency: { type: 'string' },
  'chunk-size': { type: 'string' },
  bwlimit: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Record<string, OptionSpec>

/** Every command, its own options, and a one-line usage. */
export const commands = {
  sandbox: {
    // Its options are the sandbox's own (src/sandbox/command.ts parses and checks them).
    options: {},
    positionals: 0,
    usage:
      'sandbox [--port N] [--host 127.0.0.1] [--data DIR] [--network wan] [--latency MS] [--bandwidth MBIT] [--storage gcs|backblaze]',
    about:
      'Run the local Playbook sandbox; the first stdout line is JSON with its URL and tokens. --network wan adds a 40 ms round trip and a 200 Mbit/s cap to every request (--latency/--bandwidth set your own); --storage backblaze hands out Backblaze uploads instead of GCS sessions.',
  },
  login: {
    options: { email: { type: 'string' }, link: { type: 'string' } },
    positionals: 0,
    usage: 'login --token T|- | --email E | --link URL',
    about:
      'Sign in with a personal API token, or by magic link (request with --email, finish with --link).',
  },
  logout: { options: {}, positionals: 0, usage: 'logout', about: 'Forget the stored token.' },
  whoami: { options: {}, positionals: 0, usage: 'whoami', about: 'Show the account, API and org.' },
  boards: {
    options: { query: { type: 'string' } },
    positionals: 0,
    usage: 'boards [--query TEXT]',
    about: "List the org's boards (token, title), nested boards indented.",
  },
  bootstrap: {
    options: {
      'partner-user-id': { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      'org-name': { type: 'string' },
      boards: { type: 'string' },
    },
    positionals: 0,
    usage: 'bootstrap --partner-user-id ID --email E --name N --org-name O [--boards FILE]',
    about:
      'Provision an org and user (partner installs). Reads PLAYBOOK_INTEGRATION_TOKEN; stores the access token; prints the magic link.',
  },
  upload: {
    options: {
      board: { type: 'string' },
      'as-link': { type: 'boolean' },
      force: { type: 'boolean' },
    },
    positionals: Infinity,
    usage: 'upload <files, folders or http(s) URLs…> --board TOKEN [--as-link] [--force]',
    about:
      'Upload files and folders, or have Playbook ingest URLs, then exit. Files the board already holds (same name and size) are recorded, not uploaded again; --force uploads them anyway.',
  },
  sync: {
    options: {
      board: { type: 'string' },
      once: { type: 'boolean' },
      force: { type: 'boolean' },
      flat: { type: 'boolean' },
    },
    positionals: 1,
    usage: 'sync <folder> --board TOKEN [--once] [--force] [--flat]',
    about:
      "Pair a folder with a board, catch up, then watch (--once: exit when caught up). Each sub-folder goes to a child board of its parent folder's board (made when first needed, reused by title); --flat puts every file on the board itself. Files the board already holds are recorded as synced; --force uploads them anyway.",
  },
  'upload-anyway': {
    options: { board: { type: 'string' } },
    positionals: 1,
    usage: 'upload-anyway <file in a synced folder> [--board TOKEN]',
    about:
      'Upload one file the sync skipped on purpose (ignored by a rule, same content as another file, a skipped change), once; status --issues lists them.',
  },
  status: {
    options: { issues: { type: 'boolean' } },
    positionals: 0,
    usage: 'status [--issues] [--json]',
    about:
      'Show the session, pairs and queue (--issues: every file that needs attention or was skipped on purpose, with its reason).',
  },
  demo: {
    options: { once: { type: 'boolean' } },
    positionals: 0,
    usage: 'demo [--once]',
    about:
      'Start the sandbox, generate sample images, sync them to a board and print its page URL; keeps watching.',
  },
  host: {
    options: { port: { type: 'string' } },
    positionals: 0,
    usage: 'host [--port N]',
    about:
      'Serve the desktop UI on loopback for a browser (machines without a display or Electron).',
  },
  plugin: {
    options: {
      port: { type: 'string' },
      secret: { type: 'string' },
      dest: { type: 'string' },
      host: { type: 'string' },
    },
    positionals: 1,
    usage: 'plugin serve --port N --secret S|- --dest DIR',
    about: 'Serve the Playbook plugins (first stdout line is JSON).',
  },
} as const satisfies Record<
  string,
  {
    options: Record<string, OptionSpec>
    positionals: number
    usage: string
    about: string
  }
>

/** A command's name. */
export type CommandName = keyof typeof commands

/** The parsed command line. */
export interface ParsedArgs {
  readonly command: CommandName | undefined
  readonly positionals: readonly string[]
  readonly values: Readonly<Record<string, string | boolean | undefined>>
  /** The raw arguments after the command name (for pass-through commands). */
  readonly rest: readonly string[]
}

/** True when `name` is one of the commands. */
function isCommand(name: string): name is CommandName {
  return Object.hasOwn(commands, name)
}

const allOptions: Record<string, OptionSpec> = { ...globalOptions }
for (const c of Object.values(commands)) Object.assign(allOptions, c.options)

/** Parses argv (without node and script); throws a usage CliError on anything unknown. */
export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  // First pass, lenient: find the command among the positionals.
  const loose = parseArgs({
    args: [...argv],
    options: allOptions,
    strict: false,
    allowPositionals: true,
  })
  const name = loose.positionals[0]
  if (name === undefined || name === 'help') {
    return {
      command: undefined,
      positionals: loose.positionals.slice(1),
      values: { help: true, ...asValues(loose.values) },
      rest: [],
    }
  }
  if (!isCommand(name)) {
    throw usageError(
      `unknown command "${name}"`,
      `run \`playbook-sync --help\` to see the commands`,
    )
  }
  const spec = commands[name]
  const index = argv.indexOf(name)
  const rest = argv.slice(index + 1)
  // The sandbox parses its own arguments (and prints its own help): one parser owns its flags.
  if (name === 'sandbox') return { command: name, positionals: [], values: {}, rest }
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...globalOptions, ...spec.options },
      strict: true,
      allowPositionals: true,
    })
  } catch (e) {
    throw usageError(`${(e as Error).message.split('\n')[0]}`, `usage: playbook-sync ${spec.usage}`)
  }
  const positionals = parsed.positionals.slice(1)
  const values = asValues(parsed.values)
  if (!values.help && positionals.length > spec.positionals) {
    throw usageError(
      `too many arguments for "${name}": ${positionals.slice(spec.positionals).join(' ')}`,
      `usage: playbook-sync ${spec.usage}`,
    )
  }
  return { command: name, positionals, values, rest }
}

function asValues(v: Record<string, unknown>): Record<string, string | boolean | undefined> {
  const out: Record<string, string | boolean | undefined> = {}
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string' || typeof x === 'boolean') out[k] = x
  }
  return out
}

/** The text of `--help` (all commands) or `<command> --help`. */
export function helpText(command?: CommandName): string {
  const globals = [
    'Global options (each also read from the environment):',
    '  --api URL             PLAYBOOK_API_URL    API base URL (default https://api.playbook.com)',
    '  --token T|-           PLAYBOOK_TOKEN      personal API token (pb_…); not stored; - reads stdin',
    '  --org SLUG            PLAYBOOK_ORG        organization slug',
    '  --home DIR            PLAYBOOK_SYNC_HOME  state, settings, logs (default ~/.playbook-sync)',
    '  --json                one JSON event per line on stdout; the last line is the summary',
    '  --concurrency N       large files uploading at once (default 4; small files run more)',
    '  --chunk-size BYTES    send in chunks of BYTES (a multiple of 262144), each confirmed before the next,',
    '                        for proxies that limit request size (default: one streamed request per file)',
    '  --bwlimit BYTES/S     cap the upload bandwidth',
    '  --verbose             echo log lines to stderr',
    '  -h, --help            show help',
    '',
    'Exit codes: 0 done; 1 some files failed (named); 2 usage or configuration error;',
    '            3 not signed in or token rejected; 130 interrupted (the next run resumes).',
  ]
  if (command) {
    const spec = commands[command]
    return [`Usage: playbook-sync ${spec.usage}`, '', spec.about, '', ...globals, ''].join('\n')
  }
  const width = Math.max(...Object.values(commands).map((c) => c.usage.length))
  return [
    'Usage: playbook-sync <command> [options]',
    '',
    'Keeps local folders in sync with Playbook boards.',
    '',
    'Commands:',
    ...Object.values(commands).map((c) => `  ${c.usage.padEnd(width)}  ${c.about}`),
    '',
    ...globals,
    '',
  ].join('\n')
}
