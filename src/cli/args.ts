/**
 * Command-line arguments of `linkvisor`: parsed into a plain description of what to run, or a
 * UsageError whose message is the one line shown before exiting with code 2. No dependencies:
 * `--name value`, `--name=value`, short aliases, repeatable options.
 */
import { JITTER_STRATEGIES, type JitterStrategy } from '../../machines/policy/backoff.js';
import { isNumberAsTyped, isShownWord, shown, shownNumber } from '../util/describe.js';
import { shownChoice } from '../util/option-checks.js';
import { isSecretHeader, REDACTED, redactPathParameters } from '../util/redact.js';
import { scrubCredentials } from '../util/scrub-credentials.js';
import { parseServeArgs, type ServeArgs } from './serve-args.js';
import type { EscapeMode } from './terminal-text.js';
import { didYouMean, nextValue, number, port, shownOption, UsageError } from './usage-error.js';

export interface ConnectArgs {
  command: 'connect';
  url: string;
  headers: Record<string, string>;
  protocols: string[];
  /** Heartbeat interval and timeout in ms, or false (off); undefined: the library default. */
  heartbeat: { intervalMs: number; timeoutMs: number } | false | undefined;
  backoff: {
    initialDelayMs?: number;
    maxDelayMs?: number;
    multiplier?: number;
    jitter?: JitterStrategy;
    maxAttempts?: number;
  };
  connectTimeoutMs: number | undefined;
  /** Inspector port (0: any free port), or undefined when not asked for. */
  inspect: number | undefined;
  /** Read lines to send from stdin (default true). */
  stdin: boolean;
  /** At the end of stdin, close once every queued line is sent (default: keep the link). */
  exitOnEof: boolean;
  /** Said once on stderr before connecting (e.g. `http:// maps to ws://`), or undefined. */
  urlNote?: string | undefined;
  quiet: boolean;
  /** Record a session trace (JSON Lines) to this file, or undefined. */
  record: string | undefined;
  /** Server text on a stream: escaped on a terminal (`auto`), always (`--escape`), never (`--raw`). */
  escape: EscapeMode;
}

export interface ReplayArgs {
  command: 'replay';
  /** The trace file (JSON Lines) to replay. */
  file: string;
}

export interface InspectArgs {
  command: 'inspect';
  /** The trace file (JSON Lines) to open in the inspector page. */
  file: string;
  /** Port of the inspector (0: any free port). */
  port: number;
}

export type ParsedArgs =
  | { command: 'help' }
  | { command: 'version' }
  | ConnectArgs
  | ReplayArgs
  | InspectArgs
  | ServeArgs;

/** `K: V` (or `K:V`) into [name, value]. */
function header(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = colon > 0 ? text.slice(0, colon).trim() : '';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    // Not quoted: the text may be a whole `Authorization Bearer …` missing its colon.
    throw new UsageError(
      'LV_ERR_INVALID_OPTION',
      `--header: expected 'Name: value' (a header name, a colon, its value)`,
    );
  }
  const value = text.slice(colon + 1).trim();
  // Split by the shell (`-H X-Api-Key: $KEY`, `-H Authorization: Bearer $T`): the value would
  // become a stray argument, quoted by the error about it. Refused here, before it is reached.
  // A scheme's name alone is a cut-off credential only in an auth-like header (`X-Tier: Basic` is not).
  if (value === '' || (isSecretHeader(name) && /^(Bearer|Basic|Digest|Token|Negotiate|NTLM)$/i.test(value))) {
    throw new UsageError(
      'LV_ERR_INVALID_OPTION',
      `--header: ${shown(name)} has no ${value === '' ? 'value' : `credential after '${value}'`} (quote the header whole: -H 'Name: value')`,
    );
  }
  return [name, value];
}

/** `<initial>:<max>[:<multiplier>]`, in ms. */
function backoff(text: string): { initialDelayMs: number; maxDelayMs: number; multiplier?: number } {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3) {
    throw new UsageError(
      'LV_ERR_INVALID_OPTION',
      `--backoff: expected <initial ms>:<max ms>[:<multiplier>], got ${shownNumber(text)}`,
    );
  }
  const initialDelayMs = number('--backoff initial', parts[0] ?? '');
  const maxDelayMs = number('--backoff max', parts[1] ?? '');
  if (maxDelayMs < initialDelayMs)
    throw new UsageError(
      'LV_ERR_INVALID_OPTION',
      `--backoff: max (${maxDelayMs}) is below initial (${initialDelayMs})`,
    );
  if (parts[2] === undefined) return { initialDelayMs, maxDelayMs };
  return {
    initialDelayMs,
    maxDelayMs,
    multiplier: number('--backoff multiplier', parts[2], { min: 1, max: 1000, integer: false }),
  };
}

/** `<interval ms>[:<timeout ms>]` or `off`. */
function heartbeat(text: string): ConnectArgs['heartbeat'] {
  if (text === 'off') return false;
  const [interval = '', timeout] = text.split(':');
  const intervalMs = number('--heartbeat interval', interval, { min: 1 });
  const timeoutMs =
    timeout === undefined ? Math.min(intervalMs, 10_000) : number('--heartbeat timeout', timeout, { min: 1 });
  return { intervalMs, timeoutMs };
}

/** The port of `text` (a URL with a scheme) as typed, or undefined when it has none. */
function portOf(text: string): string | undefined {
  const authority = (/^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(text)?.[1] ?? '').replace(/^.*@/, '');
  return /^(?:\[[^\]]*\]|[^:]*):(.*)$/.exec(authority)?.[1];
}

/** A port's digits as a typo shows them (`99999`); 6 or more are a PIN whose `@host` is missing
 * (`ws://alice:12345678/feed`), never quoted. */
const isPortTypo = (port: string): boolean => port.length <= 5;

/** Why the port of `text` (a URL with a scheme) is not one, or null when it is fine or absent. */
function badPort(text: string): string | null {
  const port = portOf(text);
  if (port === undefined || port === '') return null;
  if (!/^\d+$/.test(port)) return `port ${shownNumber(port)} is not a number`;
  if (Number(port) > 65_535)
    return `port ${isPortTypo(port) ? Number(port) : `of ${port.length} digits`} is out of range (0-65535)`;
  return null;
}

/** `text` (a URL as typed) fit for a usage error: its user info, path parameters and query values
 * (a bare part, `?k7Qx…`, is a value) replaced, its fragment left out, by text (it may not parse:
 * that is why it is shown; a URL that does not parse would be hidden whole by scrubCredentials). */
function shownUrl(text: string): string {
  const typed = text.replace(/#.*$/s, '').replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#]*@/i, '$1[redacted]@');
  const at = typed.indexOf('?');
  const path = redactPathParameters(at < 0 ? typed : typed.slice(0, at));
  if (at < 0) return path;
  const query = typed
    .slice(at + 1)
    .split('&')
    .map((part) =>
      part === '' ? part : `${part.includes('=') ? `${part.split('=', 1)[0]}=` : ''}${REDACTED}`,
    )
    .join('&');
  return `${path}?${query}`;
}

/**
 * A ws:// or wss:// URL; `host:port/path` gets `ws://`; http:// and https:// are the same server's
 * ws:// and wss:// (`note` says so). Anything else is a usage error that says why.
 */
export function checkUrl(text: string): { url: string; note?: string } {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `ws://${text}`;
  const web = /^(https?):/i.exec(withScheme)?.[1]?.toLowerCase();
  const port = badPort(withScheme);
  // A "port" that is no number, or of 6 digits or more, may be a password whose `@host` is missing
  // (`ws://alice:s3cr3t/feed`, `ws://alice:hunter2/feed`, `ws://alice:12345678/feed`).
  const typedPort = port ? portOf(withScheme) : undefined;
  const shown = shownUrl(
    typedPort && (!isNumberAsTyped(typedPort) || !isPortTypo(typedPort))
      ? text.split(typedPort).join(REDACTED)
      : text,
  );
  if (port) throw new UsageError('LV_ERR_INVALID_URL', `invalid URL '${shown}': ${port}`);
  let url: URL;
  try {
    url = new URL(web ? withScheme.replace(/^http/i, 'ws') : withScheme);
  } catch {
    throw new UsageError('LV_ERR_INVALID_URL', `invalid URL '${shown}'`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new UsageError(
      'LV_ERR_INVALID_URL',
      `invalid URL '${shown}': the scheme must be ws://, wss://, http:// or https://`,
    );
  }
  if (!web) return { url: url.toString() };
  return { url: url.toString(), note: `${web}:// maps to ${web === 'https' ? 'wss' : 'ws'}://` };
}

/** Options that take a value, by every name they answer to (docs/cli.md lists each). */
export const VALUE_OPTIONS: Record<string, string> = {
  '--header': '--header',
  '-H': '--header',
  '--protocol': '--protocol',
  '-p': '--protocol',
  '--heartbeat': '--heartbeat',
  '--backoff': '--backoff',
  '--jitter': '--jitter',
  '--max-retries': '--max-retries',
  '--connect-timeout': '--connect-timeout',
  '--record': '--record',
};
/** Options without a value, by every name they answer to (docs/cli.md lists each). */
export const FLAGS: ReadonlySet<string> = new Set([
  '--help',
  '-h',
  '--version',
  '--quiet',
  '-q',
  '--no-stdin',
  '--exit-on-eof',
  '--inspect',
  '--escape',
  '--raw',
]);

/** Every option, long and short, which a value on its own (`--record -q`) must not be taken for. */
const OPTIONS: readonly string[] = [...Object.keys(VALUE_OPTIONS), ...FLAGS];

/** The commands, for a hint on a misspelt one. */
export const COMMANDS = ['connect', 'replay', 'inspect', 'serve', 'help'];

/** A word the command line did not expect, as an error shows it (it may be a value the shell split
 * off): a URL redacted (user info, query values); a word holding a credential scrubCredentials
 * finds (`token=…`, `Bearer …`) redacted when what is left is words; anything else through
 * `shown` (a short word quoted, a token by its length). */
function stray(word = ''): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(word)) return `'${shownUrl(word)}'`;
  const scrubbed = scrubCredentials(word);
  const rest = scrubbed
    .replaceAll(REDACTED, ' ')
    .split(/[\s=]+/)
    .filter(Boolean);
  return scrubbed !== word && scrubbed.length <= 64 && rest.every(isShownWord)
    ? `'${scrubbed}'`
    : shown(word);
}

/** 1st, 2nd, 3rd, 4th… */
function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  // `serve` has options of its own; the first word names the command.
  const first = argv.findIndex((arg) => !arg.startsWith('-'));
  if (first >= 0 && argv[first] === 'serve') {
    return parseServeArgs([...argv.slice(0, first), ...argv.slice(first + 1)]);
  }
  const positional: string[] = [];
  const args: ConnectArgs = {
    command: 'connect',
    url: '',
    headers: {},
    protocols: [],
    heartbeat: undefined,
    backoff: {},
    connectTimeoutMs: undefined,
    inspect: undefined,
    stdin: true,
    exitOnEof: false,
    quiet: false,
    record: undefined,
    escape: 'auto',
  };
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    const inline = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : undefined;
    if (name === '--inspect') {
      args.inspect = inline === undefined ? 0 : port('--inspect', inline);
      continue;
    }
    if (FLAGS.has(name)) {
      if (inline !== undefined) throw new UsageError('LV_ERR_INVALID_OPTION', `${name} takes no value`);
      if (name === '--help' || name === '-h') help = true;
      else if (name === '--version') return { command: 'version' };
      else if (name === '--quiet' || name === '-q') args.quiet = true;
      else if (name === '--no-stdin') args.stdin = false;
      else if (name === '--exit-on-eof') args.exitOnEof = true;
      else if (name === '--escape' || name === '--raw') {
        const mode = name === '--escape' ? 'always' : 'never';
        if (args.escape !== 'auto' && args.escape !== mode)
          throw new UsageError(
            'LV_ERR_INVALID_OPTION',
            '--escape and --raw: give one of them (--escape: always escape, --raw: never)',
          );
        args.escape = mode;
      }
      continue;
    }
    const canonical = VALUE_OPTIONS[name];
    if (!canonical) {
      const known = [...Object.keys(VALUE_OPTIONS), ...FLAGS].filter((option) => option.startsWith('--'));
      throw new UsageError(
        'LV_ERR_UNKNOWN_OPTION',
        `unknown option ${shownOption(name)} (${didYouMean(known, name)}see linkvisor --help)`,
      );
    }
    const value = inline ?? nextValue(name, canonical, argv[++i], OPTIONS);
    switch (canonical) {
      case '--header': {
        const [key, text] = header(value);
        args.headers[key] = text;
        break;
      }
      case '--protocol':
        // Not quoted: subprotocols are secrets (a token offered as one).
        if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value))
          throw new UsageError(
            'LV_ERR_INVALID_OPTION',
            `--protocol: not a valid subprotocol name (the ${ordinal(args.protocols.length + 1)} given; letters, digits and !#$%&'*+-.^_\`|~ only)`,
          );
        args.protocols.push(value);
        break;
      case '--heartbeat':
        args.heartbeat = heartbeat(value);
        break;
      case '--backoff':
        Object.assign(args.backoff, backoff(value));
        break;
      case '--jitter':
        if (!JITTER_STRATEGIES.includes(value as JitterStrategy)) {
          throw new UsageError(
            'LV_ERR_INVALID_OPTION',
            `--jitter: expected one of ${JITTER_STRATEGIES.join(', ')}, got ${shownChoice(value, JITTER_STRATEGIES)}`,
          );
        }
        args.backoff.jitter = value as JitterStrategy;
        break;
      case '--max-retries':
        args.backoff.maxAttempts = number('--max-retries', value, { max: Number.MAX_SAFE_INTEGER });
        break;
      case '--connect-timeout':
        args.connectTimeoutMs = number('--connect-timeout', value, { min: 1 });
        break;
      case '--record':
        if (value.trim() === '')
          throw new UsageError('LV_ERR_INVALID_OPTION', '--record: expected a file name');
        args.record = value;
        break;
    }
  }
  if (help) return { command: 'help' };
  const [command, url, ...rest] = positional;
  if (command === undefined) throw new UsageError('LV_ERR_USAGE', 'no command given (see linkvisor --help)');
  if (command === 'help') return { command: 'help' };
  if (command === 'replay') {
    if (url === undefined) throw new UsageError('LV_ERR_USAGE', 'replay: missing <trace.jsonl>');
    if (rest.length > 0)
      throw new UsageError('LV_ERR_USAGE', `replay: unexpected argument ${stray(rest[0])}`);
    if (argv.some((arg) => arg.startsWith('-')))
      throw new UsageError('LV_ERR_UNKNOWN_OPTION', 'replay: takes no options');
    return { command: 'replay', file: url };
  }
  if (command === 'inspect') {
    if (url === undefined) throw new UsageError('LV_ERR_USAGE', 'inspect: missing <trace.jsonl>');
    if (rest.length > 0)
      throw new UsageError('LV_ERR_USAGE', `inspect: unexpected argument ${stray(rest[0])}`);
    const option = argv.find((arg) => arg.startsWith('-') && !arg.startsWith('--inspect'));
    if (option)
      throw new UsageError(
        'LV_ERR_UNKNOWN_OPTION',
        `inspect: takes only --inspect=<port>, not ${shownOption(option.split('=', 1)[0] ?? option)}`,
      );
    return { command: 'inspect', file: url, port: args.inspect ?? 0 };
  }
  if (command !== 'connect')
    throw new UsageError(
      'LV_ERR_USAGE',
      `unknown command ${stray(command)} (${didYouMean(COMMANDS, command)}see linkvisor --help)`,
    );
  if (url === undefined) throw new UsageError('LV_ERR_USAGE', 'connect: missing <url>');
  if (rest.length > 0) throw new UsageError('LV_ERR_USAGE', `connect: unexpected argument ${stray(rest[0])}`);
  if (args.exitOnEof && !args.stdin)
    throw new UsageError('LV_ERR_INVALID_OPTION', '--exit-on-eof: needs stdin (drop --no-stdin)');
  const checked = checkUrl(url);
  args.url = checked.url;
  args.urlNote = checked.note;
  return args;
}
