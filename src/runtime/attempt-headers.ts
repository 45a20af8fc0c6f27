/**
 * An attempt's `headers` and `wsOptions`, checked, and the secrets of its headers and subprotocols
 * (`['token', apiKey]`, Kubernetes' bearer subprotocol: a server selects one, or quotes them in a
 * close reason): a link feature
 * (./link-features.ts) that the supervisor, `defineLink` and the testing entry hand to their links.
 * The drop-in class has neither option (a browser's WebSocket sends no headers), so its bundle
 * leaves this out, header secrets included (test/size/bundle-size.test.ts); its targets have no
 * headers and no options (./attempt-target.ts).
 */
import { describe, isRecord, shown } from '../util/describe.js';
import { optionError } from '../util/errors.js';
import { headerSecrets } from '../util/header-secrets.js';
import { scrubCredentials } from '../util/scrub-credentials.js';
import { TOKEN } from './attempt-target.js';

/** What ./attempt-target.ts asks of a link's header support. */
export interface HeaderSupport {
  /** The attempt's headers and wsOptions as resolved, checked (throws naming the option). */
  check(
    headers: unknown,
    wsOptions: unknown,
  ): { headers: Record<string, string>; options: Record<string, unknown> };
  /** Every form of every secret of the checked headers (wsOptions' `headers` and `auth` included),
   * and of the token in a Kubernetes bearer subprotocol (./attempt-target.ts adds each subprotocol
   * as offered, for every link). */
  secrets(
    headers: Record<string, string>,
    protocols: readonly string[],
    options: Record<string, unknown>,
  ): string[];
  /** Credentials a link was never given, by their shape (a JWT, `Bearer …`, `//user:pass@`,
   * `token=…`: scrubCredentials), out of a text the link's own secrets are already out of: a
   * server's close reason or rejection quoting another token. */
  scrub(text: string): string;
}

export const HEADER_SUPPORT: HeaderSupport = {
  check: (headers, wsOptions) => ({
    headers: checkHeaders(headers),
    options: checkWsOptions(wsOptions),
  }),
  // wsOptions' own `headers` and `auth` (ws sends them too) hold credentials as `headers` does.
  secrets: (headers, protocols, { headers: more, auth }) =>
    headerSecrets(
      { ...(isRecord(more) ? wsHeaderValues(more) : {}), ...headers },
      protocols,
      typeof auth === 'string' ? auth : undefined,
    ),
  scrub: scrubCredentials,
};

/** Node's http headers as single strings: a list's items (`Cookie: ['sid=…', 'theme=…']`, sent
 * joined) each on its own, under the header's name and a suffix, so that each is a secret whole. */
function wsHeaderValues(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!Array.isArray(value)) out[name] = String(value);
    else for (const [i, item] of value.entries()) out[`${name}#${i}`] = String(item);
  }
  return out;
}

/** A character Node refuses in a header's value (ERR_INVALID_CHAR, whose message quotes the name). */
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/** Headers of one attempt: names are tokens, values strings Node can send (never shown; a name
 * through `shown`: a token, a JWT among them, is a valid header name). */
function checkHeaders(value: unknown): Record<string, string> {
  const headers = checkNames(checkRecord(value, 'headers'), 'headers');
  for (const [name, v] of Object.entries(headers)) {
    if (typeof v !== 'string')
      throw optionError('headers', `${shown(name)} must be a string, got ${describe(v)}`);
    checkValue(v, name, 'headers');
  }
  return headers as Record<string, string>;
}

/** A header's value Node would refuse at every attempt, its error quoting the name. */
function checkValue(value: string, name: string, option: string): void {
  if (BAD_VALUE.test(value))
    throw optionError(option, `the value of ${shown(name)} has a control character or one above U+00FF`);
}

/** ws's own options, unchecked but for their headers' names and string values (Node's error for
 * an invalid one quotes the name whole). */
function checkWsOptions(value: unknown): Record<string, unknown> {
  const options = checkRecord(value, 'wsOptions');
  if (isRecord(options.headers)) {
    for (const [name, v] of Object.entries(checkNames(options.headers, 'wsOptions.headers')))
      for (const item of Array.isArray(v) ? v : [v])
        if (typeof item === 'string') checkValue(item, name, 'wsOptions.headers');
  }
  return options;
}

/** `headers`, if every name is a token. A header line given as a name (`Authorization: Bearer …`),
 * or a name with a token in it, holds a credential: shown by its length (`shown`). */
function checkNames(headers: Record<string, unknown>, option: string): Record<string, unknown> {
  for (const name in headers)
    if (!TOKEN.test(name))
      throw optionError(
        option,
        `${shown(name)} is not a valid header name${name.includes(':') ? " (a whole 'Name: value' line?)" : ''}`,
      );
  return headers;
}

function checkRecord(value: unknown, option: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw optionError(option, `must be an object, got ${describe(value)}`);
  return value;
}
