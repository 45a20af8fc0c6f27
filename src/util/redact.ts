/**
 * Secrets never leave the link: tokens in URLs (query and fragment values, user info, path tokens)
 * and in auth-like headers are replaced before any text reaches an error, an event, status() or the
 * inspector. The redaction API in one import; each part lives in a small file named for it.
 */
export { decodeJsonEscapes, redactText } from './redact-text.js';
export {
  redactPathJwts,
  redactPathParameters,
  redactUrl,
  redactUrlsIn,
} from './redact-url.js';
export { capText, MAX_SHOWN_URL_CHARS, REDACTED } from './redacted.js';
export { credentialForms, pushSecret, scrubbable, secretForms } from './secret-forms.js';
export {
  isCredentialValue,
  isSecretHeader,
  isSecretHeaderValue,
  isSecretKey,
  NAME_PARTS,
  redactHeaders,
  SECRET_FIELD_PART,
  SECRET_FIELD_WORDS,
} from './secret-names.js';
export { SecretSet } from './secret-set.js';
export { secretsOf } from './secrets-of.js';
