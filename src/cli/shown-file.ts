/**
 * A file the command line names (`replay <file>`, `inspect <file>`, `--record <file>`), as its
 * output shows it: a URL typed where a file goes (`linkvisor inspect wss://app:pw@host/feed`, as
 * if it connected) or a path holding a credential (`token=…`) loses the credential, as every other
 * word the CLI echoes does; an ordinary path is shown as typed.
 */
import { scrubCredentials } from '../util/scrub-credentials.js';
import { stray } from './option-values.js';

/** `file` fit for a lifecycle line or an error: a URL as `stray` shows one (user info and query
 * values redacted), any other path with its credentials scrubbed. */
export function shownFile(file: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(file) ? stray(file) : scrubCredentials(file);
}
