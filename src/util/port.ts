/**
 * A TCP port as the application gives one: a whole number 0–65535, or a string of decimal digits
 * read as that number (`process.env.PORT`, which Node's `server.listen('8080')` takes too). One rule
 * for every `port` linkvisor takes (startInspector's option, the CLI's `--inspect=<port>` and `serve
 * --port`): what Number() would also read — `' 80'`, `'1e3'`, `'0x50'`, `'8.0'`, `''` — is refused.
 * A refused string is quoted only as a typo of a port can look (`shownPort`).
 */
import { lengthOf, shownNumber } from './describe.js';

/** The highest TCP port. */
export const MAX_PORT = 65_535;

/** `value` as a port number, or undefined when it is none (see the file's header). */
export function portNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_PORT ? n : undefined;
}

/** A refused port as an error shows it: a string of up to 5 characters as `shownNumber` shows it
 * (`'70000'`, `'80a'`: a typo is worth seeing), a longer one by its length (6 digits or more are no
 * port and may be a PIN, `port: process.env.PIN`, as a URL's port of 6 digits or more is in
 * ../cli/args.ts), anything else by `describe` (a number itself). */
export function shownPort(value: unknown): string {
  return typeof value === 'string' && value.length > 5 ? lengthOf(value) : shownNumber(value);
}
