/**
 * healthReport / healthHandler refuse what they cannot read at once, naming it with a stable code
 * (a misspelt option used to be ignored: `requires: [...]` silently required everything; an empty
 * `require` made the endpoint answer 503 for ever), and the request listener never throws out of
 * a real `http` server: a status that cannot be read is a 500 with a JSON body.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { createSupervisor, healthHandler, healthReport, type Supervisor } from '../../src/index.js';
import { TestClock } from '../../src/testing/index.js';
import type { Clock } from '../../src/util/clock.js';
import { useHarness } from '../helpers/harness.js';
import { HOST } from '../helpers/servers.js';
import { serveHttp } from './serve-http.js';

function codeOf(fn: () => unknown): { code?: string; option?: string } | undefined {
  try {
    fn();
  } catch (error) {
    return error as { code?: string; option?: string };
  }
  return undefined;
}

function get(port: number): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: HOST, port, path: '/health', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString(),
          headers: res.headers,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    // Generous: an answer takes milliseconds; a listener that threw never answers.
    req.setTimeout(5_000, () => req.destroy(new Error('no answer within 5 s')));
    req.end();
  });
}

describe('health options', () => {
  const h = useHarness();

  function supervisor(clock: Clock = new TestClock()): Supervisor {
    const s = createSupervisor({ clock, heartbeat: false });
    h.defer(() => s.close());
    return s;
  }

  it('a misspelt option: LV_ERR_UNKNOWN_OPTION naming it, with a hint', () => {
    const s = supervisor();
    for (const make of [healthHandler, healthReport]) {
      const error = codeOf(() => make(s, { requires: ['feed'] } as never));
      expect(error).toMatchObject({ code: 'LV_ERR_UNKNOWN_OPTION', option: 'requires' });
      expect(String((error as Error).message)).toMatch(/did you mean 'require'/);
    }
  });

  it('options that are not an object, an empty `require` or an empty name: LV_ERR_INVALID_OPTION naming it', () => {
    const s = supervisor();
    for (const make of [healthHandler, healthReport]) {
      expect(codeOf(() => make(s, null as never))).toMatchObject({
        code: 'LV_ERR_INVALID_OPTION',
        option: 'options',
      });
      // Each names the value it got (a string only by its kind: it may be anything).
      expect(codeOf(() => make(s, { require: [] }))).toMatchObject({
        code: 'LV_ERR_INVALID_OPTION',
        option: 'require',
        message: expect.stringMatching(/, got none$/),
      });
      expect(codeOf(() => make(s, { require: ['feed', ' '] }))).toMatchObject({
        code: 'LV_ERR_INVALID_OPTION',
        option: 'require',
        message: expect.stringMatching(/, got a string at \[1\]$/),
      });
      expect(codeOf(() => make(s, { require: ['feed', 7] as never }))).toMatchObject({
        message: expect.stringMatching(/, got 7 at \[1\]$/),
      });
      expect(codeOf(() => make(s, { require: 'https://u:hunter2@h' as never }))).toMatchObject({
        option: 'require',
        message: expect.stringMatching(/, got a string$/),
      });
      expect(codeOf(() => make(s, { allowDegraded: 1 as never }))).toMatchObject({
        option: 'allowDegraded',
        message: 'allowDegraded: must be a boolean, got 1',
      });
    }
  });

  it('something that is not a supervisor: LV_ERR_INVALID_OPTION (option `supervisor`) when the handler is made, not a throw per request', () => {
    for (const make of [healthHandler, healthReport]) {
      for (const bad of [undefined, null, {}, 'supervisor']) {
        expect(codeOf(() => make(bad as never))).toMatchObject({
          code: 'LV_ERR_INVALID_OPTION',
          option: 'supervisor',
        });
      }
    }
  });

  it("a clock gone wrong (a time no Date can hold) makes no watcher's status unreadable: 200, its lastCheck null until the next probe", async () => {
    const test = new TestClock();
    let broken = false;
    // A user-supplied clock that starts returning a time no Date can hold.
    const clock: Clock = {
      now: () => (broken ? 1e300 : test.now()),
      setTimeout: (fn, ms) => test.setTimeout(fn, ms),
      clearTimeout: (id) => test.clearTimeout(id),
    };
    const s = supervisor(clock);
    const pg = s.watch({ name: 'pg', probe: async () => {} });
    await test.advance(0);
    const port = await serveHttp(h, healthHandler(s));
    expect((await get(port)).status).toBe(200);
    broken = true;
    // The poll stamps its outcome with the wrong time: status() used to throw on it (a 500) until
    // the next probe, a minute after the clock was right again.
    await test.advance(60_000);
    expect(pg.status().lastCheck).toBeNull();
    broken = false;
    expect((await get(port)).status).toBe(200);
    expect(pg.status()).toMatchObject({ state: 'ready', lastCheck: null });
    await test.advance(60_000);
    expect(pg.status().lastCheck).toBe(new Date(pg.status().lastCheck ?? 0).toISOString());
  });

  it('a status that cannot be read answers 500 with a JSON body, reported once per run of them (LV_ERR_LISTENER); the server stays up', async () => {
    const s = supervisor();
    // Never silent: the application hears why its endpoint answers 500.
    const errors: { code?: string; message: string; cause?: unknown }[] = [];
    s.on('error', (error) => {
      errors.push(error);
    });
    s.watch({ name: 'pg', probe: async () => {} });
    await Promise.resolve();
    const port = await serveHttp(h, healthHandler(s));
    expect((await get(port)).status).toBe(200);
    const read = s.status.bind(s);
    let broken = true;
    s.status = () => {
      if (broken) throw new RangeError('Invalid time value');
      return read();
    };
    const reply = await get(port);
    expect(reply.status).toBe(500);
    // A probe must not see a cached 500 after the status is readable again.
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(reply.body)).toMatchObject({ healthy: false });
    expect((await get(port)).status).toBe(500);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'LV_ERR_LISTENER',
      message: expect.stringMatching(/status could not be read/),
    });
    // A redacted copy of the RangeError (docs/errors.md "What `cause` is"): its name kept.
    expect((errors[0]?.cause as Error | undefined)?.name).toBe('RangeError');
    broken = false;
    expect((await get(port)).status).toBe(200);
    // Readable again, then not: a new run, reported again.
    broken = true;
    expect((await get(port)).status).toBe(500);
    expect(errors).toHaveLength(2);
  });
});
