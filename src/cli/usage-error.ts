/**
 * The errors the CLI prints, each one line with its stable code (`LV_ERR_*`) at the end: a command
 * line it cannot run (`UsageError`, exit code 2) and a file or port it cannot use (`CliError`,
 * exit code 1); the checked number parser every option of every command uses; and the "did you
 * mean" hint for a misspelt option or command.
 */

import { shown, shownNumber } from '../util/describe.js';
import type { ErrorCode } from '../util/errors.js';
import { closestName } from '../util/option-checks.js';
import { MAX_PORT, portNumber, shownPort } from '../util/port.js';

/** The codes only the CLI gives (docs/errors.md lists them with the library's). */
export const CLI_ERROR_CODES = {
  LV_ERR_USAGE:
    'a command line the CLI cannot run: no command or an unknown one, a missing or extra argument',
  LV_ERR_IO: 'a file or port the command line names cannot be read, written or listened on',
  LV_ERR_INTERNAL: 'an error the command line did not expect (a bug: please report it)',
} as const;

/** A code a CLI error carries: the library's where one fits (an option, a URL, a trace), else its own. */
export type CliErrorCode = ErrorCode | keyof typeof CLI_ERROR_CODES;

/** An error the CLI prints as one line, `linkvisor: <message> [<code>]`, before exiting with `exitCode`. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  readonly exitCode: number = 1;

  constructor(
    readonly code: CliErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A command line the CLI cannot run: exit code 2. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  override readonly exitCode = 2;
}

const MAX_MS = 2 ** 31 - 1;

/** A number on the command line: decimal digits (`integer: false`: with a decimal point, `1.5`),
 * from `min` to `max`. Number()'s other forms (`0x10`, `1e3`, `0b11`, ` 5`, `+2`, `5.0` for a
 * whole number) are refused: a typo or a paste gone wrong is not taken as a number nobody meant. */
export function number(option: string, text: string, { min = 0, max = MAX_MS, integer = true } = {}): number {
  const value = Number(text);
  if (!(integer ? /^\d+$/ : /^\d+(\.\d+)?$/).test(text) || value < min || value > max) {
    throw new UsageError(
      'LV_ERR_INVALID_OPTION',
      `${option}: expected ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (decimal), got ${shownNumber(text)}`,
    );
  }
  return value;
}

/** A port on the command line (`--inspect=<port>`, `serve --port`): decimal digits, 0–65535, as
 * startInspector's `port` (../util/port.ts); Number()'s other forms (`1e3`, ` 80`, `0x50`) refused. */
export function port(option: string, text: string): number {
  const value = portNumber(text);
  if (value !== undefined) return value;
  throw new UsageError(
    'LV_ERR_INVALID_OPTION',
    `${option}: expected a whole number from 0 to ${MAX_PORT} (decimal digits), got ${shownPort(text)}`,
  );
}

/** An option the command line does not know, as an error shows it: its dashes, then its name
 * through `shown` (`'--jiter'`; a base64url token, which may start with `-`, by its length). */
export function shownOption(option: string): string {
  const [, dashes = '', name = option] = /^(-*)(.*)$/s.exec(option) ?? [];
  const word = shown(name);
  return word.startsWith("'") ? `'${dashes}${name}'` : dashes === '' ? word : `'${dashes}…' (${word})`;
}

/** `did you mean 'x'? ` for `given`, a misspelt one of `known` (at most two edits away), or ''
 * when none is that close: the start of the parenthesis after an unknown option or command. */
export function didYouMean(known: Iterable<string>, given: string): string {
  const name = closestName(known, given);
  return name === undefined ? '' : `did you mean '${name}'? `;
}

/**
 * The value of an option that takes one, written as the next word (`--record out.jsonl`): that
 * word, or LV_ERR_INVALID_OPTION naming `option` when there is none, or when it is an option
 * itself (`--record --quiet`: the value was left out), never the next option taken for a value (a
 * trace file named `--quiet`, and no --quiet). A value that starts with `--` is written
 * `--name=<value>`; a single dash (`-1`) is left to the option's own check, as are short options
 * not in `known`. A word that starts with `--` but is none of `known` (every option, long and
 * short) is refused without being shown: in a value's place it may be a secret (`--protocol
 * --<token>`, a header).
 */
export function nextValue(
  option: string,
  canonical: string,
  word: string | undefined,
  known: readonly string[],
): string {
  if (word === undefined) throw new UsageError('LV_ERR_INVALID_OPTION', `${option} needs a value`);
  if (!word.startsWith('--') && !known.includes(word)) return word;
  const name = word.split('=', 1)[0] ?? word;
  const got =
    word === '--'
      ? `'--' (the end of the options)`
      : known.includes(name)
        ? `the option ${shownOption(name)}`
        : `a word that starts with '--' (no option)`;
  throw new UsageError(
    'LV_ERR_INVALID_OPTION',
    `${option} needs a value, got ${got} (a value that starts with '-': ${canonical}=<value>)`,
  );
}
