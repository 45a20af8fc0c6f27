/**
 * A TCP port as the application gives one: a whole number 0–65535, or a string of decimal digits
 * read as that number (`process.env.PORT`, which Node's `server.listen('8080')` takes too). One rule
 * for every `port` linkvisor takes (startInspector's option, the CLI's `--inspect=<port>` and `serve
 * --port`): what Number() would also read — `' 80'`, `'1e3'`, `'0x50'`, `'8.0'`, `''` — is refused.
 */

/** The highest TCP port. */
export const MAX_PORT = 65_535;

/** `value` as a port number, or undefined when it is none (see the file's header). */
export function portNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_PORT ? n : undefined;
}
