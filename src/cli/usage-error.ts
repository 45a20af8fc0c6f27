/**
 * A command line the CLI cannot run: its message is the one line shown before exiting with code 2;
 * the checked number parser every option of every command uses; and the "did you mean" hint for a
 * misspelt option or command.
 */
import { closestName } from '../util/option-checks.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const MAX_MS = 2 ** 31 - 1;

export function number(option: string, text: string, { min = 0, max = MAX_MS, integer = true } = {}): number {
  const value = Number(text);
  if (
    text.trim() === '' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw new UsageError(
      `${option}: expected ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got '${text}'`,
    );
  }
  return value;
}

/** `did you mean 'x'? ` for `given`, a misspelt one of `known` (at most two edits away), or ''
 * when none is that close: the start of the parenthesis after an unknown option or command. */
export function didYouMean(known: Iterable<string>, given: string): string {
  const name = closestName(known, given);
  return name === undefined ? '' : `did you mean '${name}'? `;
}
