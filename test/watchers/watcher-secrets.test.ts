/**
 * A probe's error text carries credentials in forms the plain-text pass used to miss: a URL
 * percent-encoded inside another (a redirect or callback parameter, a connection string in a query),
 * `PWD=` / `passwd=` of ODBC and shell-style strings, a bare JWT, an Authorization header of any
 * scheme (its whole value) and a Ruby-style `"password"=>"…"`. None reaches the watcher's
 * status, its onDown callback or the health report; the rest of the message stays readable.
 */
import { afterEach, expect, it } from 'vitest';
import { createSupervisor, healthReport, type ProbeError, type Supervisor } from '../../src/index.js';
import { TestClock } from '../../src/testing/index.js';

let supervisor: Supervisor | null = null;
afterEach(async () => {
  await supervisor?.close();
  supervisor = null;
});

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJTRUNSRVQtNSJ9.c2lnU0VDUkVULTU';
const CASES: [string, string[]][] = [
  [
    'GET https://sso.example.com/login?next=https%3A%2F%2Fbob%3ASECRET-1%40api.example.com%2Fv1%3Ftoken%3DSECRET-2 failed',
    ['SECRET-1', 'SECRET-2'],
  ],
  ['dsn postgres%3A%2F%2Fapp%3ASECRET-3%40db%3A5432%2Fmain refused', ['SECRET-3']],
  ['double-encoded token%253DSECRET-4 in the query', ['SECRET-4']],
  ['Driver={PostgreSQL};Server=db;Uid=app;PWD=SECRET-6;', ['SECRET-6']],
  ['login passwd=SECRET-7 pass=SECRET-8 rejected', ['SECRET-7', 'SECRET-8']],
  [`401 for ${JWT}`, [JWT, 'c2lnU0VDUkVULTU']],
  // An Authorization header of any scheme (Elasticsearch's ApiKey, Splunk's, Okta's SSWS): its
  // whole value, not only the first word.
  ['401 with authorization: ApiKey SECRET-A9== (elasticsearch)', ['SECRET-A9']],
  ['Proxy-Authorization: Splunk SECRET-B10', ['SECRET-B10']],
  // A Ruby-style hash quoted from an API's error body.
  ['422 {"user"=>"app", "password"=>"SECRET-C11"}', ['SECRET-C11']],
];

it("credentials percent-encoded, as PWD=/passwd=, or a bare JWT in a probe's error are redacted in status, callbacks and the health report", async () => {
  const clock = new TestClock();
  supervisor = createSupervisor({ clock });
  const downs: ProbeError[] = [];
  let n = 0;
  const watchers = CASES.map(([message], i) =>
    (supervisor as Supervisor).watch({
      name: `svc${i}`,
      pollIntervalMs: 1_000,
      probe: async () => {
        if (n++ < CASES.length) return;
        throw new Error(message);
      },
      onDown: (error) => {
        downs.push(error);
      },
    }),
  );
  await clock.advance(0);
  await clock.advance(1_000);
  expect(downs).toHaveLength(CASES.length);
  const texts = [
    JSON.stringify(supervisor.status()),
    JSON.stringify(healthReport(supervisor)),
    JSON.stringify(downs),
    JSON.stringify(watchers.map((w) => w.lastError())),
  ];
  for (const text of texts)
    for (const [, secrets] of CASES)
      for (const secret of secrets) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(encodeURIComponent(secret));
      }
  // What is not a secret stays readable.
  expect(watchers[0]?.lastError()?.message).toMatch(
    /^GET https:\/\/sso\.example\.com\/login\?next=.*failed$/,
  );
  expect(watchers[1]?.lastError()?.message).toMatch(/db(:|%3A)5432/);
  expect(watchers[3]?.lastError()?.message).toContain('Server=db');
});

// A percent-encoded space, quote, tab, line break, `<`, `&` or Unicode space inside a secret
// (a password with a space, written into a URL or a DSN): the escape used to be decoded before the
// value was cut, so everything after it was shown (`password=[redacted] RET`).
const SPLIT: [string, string][] = [
  ['GET https://api.example.com/v1?password=hun%20TAIL-1 failed', 'TAIL-1'],
  ['GET https://app:hun%20TAIL-2@api.example.com/v1 failed', 'TAIL-2'],
  ['GET https://api.example.com/v1?token=a%22TAIL-3 failed', 'TAIL-3'],
  ['dsn password=hun%09TAIL-4 refused', 'TAIL-4'],
  ['GET https://api.example.com/v1#access_token=a%0ATAIL-5', 'TAIL-5'],
  ['GET https://api.example.com/v1?sig=a%3CTAIL-6 failed', 'TAIL-6'],
  ['GET https://api.example.com/v1?password=a%2520TAIL-7 (encoded twice)', 'TAIL-7'],
  ['GET https://api.example.com/v1?token=a%E2%80%83TAIL-8 failed', 'TAIL-8'],
  ['GET https://api.example.com/v1?password=a%27TAIL-9 failed', 'TAIL-9'],
  ['token=a%26TAIL-10 rejected', 'TAIL-10'],
];

it("a secret holding a percent-encoded space or quote is redacted whole in a probe's error: status, onDown, the health report", async () => {
  const clock = new TestClock();
  supervisor = createSupervisor({ clock });
  const downs: ProbeError[] = [];
  let n = 0;
  for (const [i, [message]] of SPLIT.entries()) {
    supervisor.watch({
      name: `split${i}`,
      pollIntervalMs: 1_000,
      probe: async () => {
        if (n++ < SPLIT.length) return;
        throw new Error(message);
      },
      onDown: (error) => {
        downs.push(error);
      },
    });
  }
  await clock.advance(0);
  await clock.advance(1_000);
  expect(downs).toHaveLength(SPLIT.length);
  const texts = [
    JSON.stringify(supervisor.status()),
    JSON.stringify(healthReport(supervisor)),
    JSON.stringify(downs),
  ];
  for (const text of texts) for (const [, tail] of SPLIT) expect(text).not.toContain(tail);
  // The rest stays readable.
  expect(downs[0]?.message).toBe('GET https://api.example.com/v1?password=[redacted] failed');
  expect(downs[3]?.message).toBe('dsn password=[redacted] refused');
});
