/**
 * Arguments of `linkvisor serve`: `[--port n] [--host h] [--bounce-every ms] [--stall[=ms]]
 * [--close-code n]`, each error a UsageError naming the option (exit 2).
 */

import { isIP } from 'node:net';
import { shown } from '../util/describe.js';
import { stray } from './option-values.js';
import { didYouMean, nextValue, number, port, shownOption, UsageError } from './usage-error.js';

export interface ServeArgs {
  command: 'serve';
  host: string;
  /** 0: any free port. */
  port: number;
  bounceEveryMs: number | undefined;
  /** Stop answering this long after each connection opens (0: at once), or undefined. */
  stallAfterMs: number | undefined;
  closeCode: number | undefined;
}

/** The codes a close frame may carry (RFC 6455 §7.4: 1004-1006 and 1015 are never sent). */
function closeCode(text: string): number {
  const code = number('serve: --close-code', text, { min: 1000, max: 4999 });
  const sendable = (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || code >= 3000;
  if (!sendable) {
    throw new UsageError(
      'LV_ERR_INVALID_OPTION',
      `serve: --close-code: ${code} cannot be sent in a close frame (use 1000-1003, 1007-1014 or 3000-4999)`,
    );
  }
  return code;
}

/** A host name (letters, digits, `-`, `_` as in a Docker Compose service's, dots; a trailing dot):
 * what `listen()` resolves. */
const HOST_NAME = /^(?=.{1,253}\.?$)\w(?:[\w-]{0,61}\w)?(?:\.\w(?:[\w-]{0,61}\w)?)*\.?$/;

/** `--host`: a host name or an IP address (an IPv6 one with or without its brackets). Anything
 * else — a URL typed in its place (`ws://app:pw@0.0.0.0`), a path — is refused here, shown
 * redacted as a stray word is: it was printed whole in the listen error. */
function host(text: string): string {
  const bare = /^\[(.*)\]$/.exec(text)?.[1] ?? text;
  if (isIP(bare) !== 0 || HOST_NAME.test(bare)) return bare;
  throw new UsageError(
    'LV_ERR_INVALID_OPTION',
    `serve: --host: expected a host name or an IP address, got ${text.trim() === '' ? 'nothing' : stray(text)}`,
  );
}

/** The options of `serve` that take a value (beside them: `--stall[=<ms>]`, `--help`). */
export const SERVE_VALUE_OPTIONS = ['--port', '--host', '--bounce-every', '--close-code'];

/** Every option of `serve`, which a value on its own (`--host --port`) must not be taken for. */
const SERVE_OPTIONS: readonly string[] = [...SERVE_VALUE_OPTIONS, '--stall', '--help', '-h'];

/** `argv` without the word `serve`. */
export function parseServeArgs(argv: readonly string[]): ServeArgs | { command: 'help' } {
  const args: ServeArgs = {
    command: 'serve',
    host: '127.0.0.1',
    port: 0,
    bounceEveryMs: undefined,
    stallAfterMs: undefined,
    closeCode: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('-'))
      throw new UsageError('LV_ERR_USAGE', `serve: unexpected argument ${shown(arg)}`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (name === '--help' || name === '-h') return { command: 'help' };
    if (name === '--stall') {
      // A flag, or `--stall=<ms>`: a following word is never its value.
      args.stallAfterMs = inline === undefined ? 0 : number('serve: --stall', inline);
      continue;
    }
    if (!SERVE_VALUE_OPTIONS.includes(name)) {
      const known = [...SERVE_VALUE_OPTIONS, '--stall', '--help'];
      throw new UsageError(
        'LV_ERR_UNKNOWN_OPTION',
        `serve: unknown option ${shownOption(name)} (${didYouMean(known, name)}see linkvisor --help)`,
      );
    }
    const value = inline ?? nextValue(`serve: ${name}`, name, argv[++i], SERVE_OPTIONS);
    if (name === '--port') args.port = port('serve: --port', value);
    else if (name === '--bounce-every')
      args.bounceEveryMs = number('serve: --bounce-every', value, { min: 1 });
    else if (name === '--close-code') args.closeCode = closeCode(value);
    else args.host = host(value);
  }
  return args;
}
