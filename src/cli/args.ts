/**
 * Command-line arguments of `linkvisor`: parsed into a plain description of what to run, or a
 * UsageError whose message is the one line shown before exiting with code 2. No dependencies:
 * `--name value`, `--name=value`, short aliases, repeatable options.
 */
import { JITTER_STRATEGIES, type JitterStrategy } from '../../machines/policy/backoff.js';
import { shownChoice } from '../util/option-checks.js';
import { checkUrl } from './check-url.js';
import { backoff, header, heartbeat, ordinal, stray } from './option-values.js';
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
  // The words before `--` (after it, every word is an argument: a file named `-x.jsonl`).
  const end = argv.indexOf('--');
  const options = end < 0 ? argv : argv.slice(0, end);
  if (command === undefined) throw new UsageError('LV_ERR_USAGE', 'no command given (see linkvisor --help)');
  if (command === 'help') return { command: 'help' };
  if (command === 'replay') {
    if (url === undefined) throw new UsageError('LV_ERR_USAGE', 'replay: missing <trace.jsonl>');
    if (rest.length > 0)
      throw new UsageError('LV_ERR_USAGE', `replay: unexpected argument ${stray(rest[0])}`);
    const option = options.find((arg) => arg.startsWith('-') && arg !== '-');
    if (option)
      throw new UsageError(
        'LV_ERR_UNKNOWN_OPTION',
        `replay: takes no options, not ${shownOption(option.split('=', 1)[0] ?? option)}`,
      );
    return { command: 'replay', file: url };
  }
  if (command === 'inspect') {
    if (url === undefined) throw new UsageError('LV_ERR_USAGE', 'inspect: missing <trace.jsonl>');
    if (rest.length > 0)
      throw new UsageError('LV_ERR_USAGE', `inspect: unexpected argument ${stray(rest[0])}`);
    const option = options.find((arg) => arg.startsWith('-') && arg !== '-' && !arg.startsWith('--inspect'));
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
