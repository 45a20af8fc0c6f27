/**
 * A URL path segment that is a padded base64 token (`/dXNl…==/x`, `/…ZDE=/x`) looked like a path
 * parameter `name=value` with an empty value: the token was shown as its "name"
 * (`/dXNlcjpwYXNzd29yZA=[redacted]/x`). A path parameter whose value is only padding is now a value
 * whole (as a query part's: KEYED_PART), in redactUrl and in free text (scrubCredentials);
 * `/token=abc` and `;jsessionid=abc` keep their names.
 */
import { expect, it } from 'vitest';
import { redactUrl } from '../../src/util/redact.js';
import { scrubCredentials } from '../../src/util/scrub-credentials.js';

it.each([
  ['wss://h.example/dXNlcjpwYXNzd29yZA==/x', 'wss://h.example/[redacted]/x'],
  ['wss://h.example/dXNlcjpwYXNzd29yZDE=/x', 'wss://h.example/[redacted]/x'],
  ['wss://h.example/v1/dXNlcjpwYXNzd29yZA==?a=1', 'wss://h.example/v1/[redacted]?a=[redacted]'],
  ['wss://h.example/a;dXNlcjpwYXNzd29yZA==', 'wss://h.example/a;[redacted]'],
])('%s: the padded token is redacted whole', (url, shown) => {
  expect(redactUrl(url)).toBe(shown);
  expect(scrubCredentials(`GET ${url} failed`)).toBe(`GET ${shown} failed`);
});

it('a path parameter with a value keeps its name', () => {
  expect(redactUrl('wss://h.example/token=abc/x;jsessionid=s1')).toBe(
    'wss://h.example/token=[redacted]/x;jsessionid=[redacted]',
  );
});
