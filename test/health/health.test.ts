/**
 * healthHandler behind a real `http` server on 127.0.0.1, port 0 (with `showDetails: 'always'`, to
 * read the report; the default summary is health-details.test.ts): 503 until every required link
 * and watcher is ready, 200 with the JSON status after; `require` picks a subset; unknown names
 * fail; only GET and HEAD; no secret ever reaches the body. Links run on the memory transport and
 * watchers on a TestClock, so readiness is driven by the test, not by time.
 */
import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  createSupervisor,
  type HealthReport,
  healthHandler,
  healthReport,
  type Supervisor,
} from '../../src/index.js';
import { createMemoryNetwork, type MemoryNetwork, TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { type Reply, request, serveHttp } from './serve-http.js';

function reportOf(reply: Reply): HealthReport {
  expect(reply.headers['content-type']).toMatch(/^application\/json/);
  return JSON.parse(reply.body) as HealthReport;
}

describe('healthHandler (real http server)', () => {
  const h = useHarness();

  interface Env {
    clock: TestClock;
    network: MemoryNetwork;
    supervisor: Supervisor;
  }

  function env(): Env {
    const clock = new TestClock();
    const network = createMemoryNetwork({ clock });
    const supervisor = createSupervisor({
      clock,
      transport: network.transport,
      heartbeat: false,
      backoff: { initialDelayMs: 100, maxDelayMs: 100, jitter: 'none' },
    });
    h.defer(() => supervisor.close());
    return { clock, network, supervisor };
  }

  const serve = (handler: http.RequestListener) => serveHttp(h, handler);

  it('503 while a required link or watcher is not ready; 200 with the JSON status once all are', async () => {
    const { clock, network, supervisor } = env();
    const feed = network.listen('mem://feed');
    feed.refuse();
    let dbUp = false;
    const link = supervisor.connect('mem://feed', { id: 'feed' });
    supervisor.watch({
      name: 'pg',
      probe: async () => {
        if (!dbUp) throw new Error('db down');
      },
    });
    await clock.advance(0);
    const port = await serve(healthHandler(supervisor, { showDetails: 'always', require: ['feed', 'pg'] }));

    const down = await request(port);
    expect(down.status).toBe(503);
    expect(down.headers['cache-control']).toBe('no-store');
    const downReport = reportOf(down);
    expect(downReport.healthy).toBe(false);
    expect(downReport.failing).toEqual(['feed', 'pg']);

    // The link comes up; the watcher is still down.
    feed.accept();
    await clock.advance(100);
    expect(link.state).toBe('ready');
    const half = await request(port);
    expect(half.status).toBe(503);
    expect(reportOf(half).failing).toEqual(['pg']);

    dbUp = true;
    await clock.advance(2_000);
    const up = await request(port);
    expect(up.status).toBe(200);
    const report = reportOf(up);
    expect(report).toMatchObject({ healthy: true, failing: [], up: true, closed: false });
    expect(report.links.map((l) => [l.id, l.state, l.ready])).toEqual([['link:feed', 'ready', true]]);
    expect(report.watchers.map((w) => [w.name, w.state, w.ready])).toEqual([['pg', 'ready', true]]);
    expect(report).toEqual(JSON.parse(JSON.stringify(healthReport(supervisor, { require: ['feed', 'pg'] }))));
  });

  it('require names links as `feed` or `link:feed`', async () => {
    const { clock, network, supervisor } = env();
    network.listen('mem://feed');
    supervisor.connect('mem://feed', { id: 'feed' });
    await clock.advance(0);
    const short = await serve(healthHandler(supervisor, { showDetails: 'always', require: ['feed'] }));
    const long = await serve(healthHandler(supervisor, { showDetails: 'always', require: ['link:feed'] }));
    expect((await request(short)).status).toBe(200);
    expect((await request(long)).status).toBe(200);
  });

  it('a bare name that is both a link id and a watcher name requires both; `link:`/`watcher:` pick one', async () => {
    const { clock, supervisor } = env();
    // The link `feed` never comes up (no server); the watcher `feed` is ready.
    supervisor.connect('mem://nowhere', { id: 'feed' });
    supervisor.watch({ name: 'feed', probe: async () => {} });
    await clock.advance(0);
    const bare = reportOf(
      await request(await serve(healthHandler(supervisor, { showDetails: 'always', require: ['feed'] }))),
    );
    expect(bare).toMatchObject({ healthy: false, failing: ['feed'] });
    expect(healthReport(supervisor, { require: ['link:feed'] })).toMatchObject({
      healthy: false,
      failing: ['link:feed'],
    });
    expect(healthReport(supervisor, { require: ['watcher:feed'] })).toMatchObject({
      healthy: true,
      failing: [],
    });
    // A watcher whose name is a link's full id does not stand in for the link either.
    supervisor.watch({ name: 'link:feed', probe: async () => {} });
    await clock.advance(0);
    expect(healthReport(supervisor, { require: ['link:feed'] }).failing).toEqual(['link:feed']);
  });

  it('require limited to a subset ignores the others', async () => {
    const { clock, network, supervisor } = env();
    network.listen('mem://feed');
    supervisor.connect('mem://feed', { id: 'feed' });
    supervisor.connect('mem://nowhere', { id: 'other' });
    supervisor.watch({
      name: 'pg',
      probe: async () => {
        throw new Error('db down');
      },
    });
    await clock.advance(0);
    const subset = await serve(healthHandler(supervisor, { showDetails: 'always', require: ['feed'] }));
    const all = await serve(healthHandler(supervisor, { showDetails: 'always' }));

    const ok = await request(subset);
    expect(ok.status).toBe(200);
    const report = reportOf(ok);
    expect(report.failing).toEqual([]);
    // The body still shows everything.
    expect(report.links.map((l) => l.id).sort()).toEqual(['link:feed', 'link:other']);
    expect(report.watchers.map((w) => w.name)).toEqual(['pg']);

    const bad = await request(all);
    expect(bad.status).toBe(503);
    expect(reportOf(bad).failing).toEqual(['link:other', 'pg']);
  });

  it('an unknown required name → 503, listed in `failing`', async () => {
    const { clock, network, supervisor } = env();
    network.listen('mem://feed');
    supervisor.connect('mem://feed', { id: 'feed' });
    await clock.advance(0);
    const port = await serve(healthHandler(supervisor, { showDetails: 'always', require: ['feed', 'nope'] }));
    const reply = await request(port);
    expect(reply.status).toBe(503);
    expect(reportOf(reply)).toMatchObject({ healthy: false, failing: ['nope'] });
  });

  it('nothing to watch (default require) and a closed supervisor → 503', async () => {
    const { clock, network, supervisor } = env();
    const port = await serve(healthHandler(supervisor, { showDetails: 'always' }));
    const empty = await request(port);
    expect(empty.status).toBe(503);
    expect(reportOf(empty)).toMatchObject({ healthy: false, failing: [] });

    network.listen('mem://feed');
    supervisor.connect('mem://feed', { id: 'feed' });
    await clock.advance(0);
    expect((await request(port)).status).toBe(200);
    await supervisor.close();
    const closed = await request(port);
    expect(closed.status).toBe(503);
    expect(reportOf(closed).closed).toBe(true);
  });

  it('POST → 405 with Allow and no-store; HEAD → the status without a body, no-store', async () => {
    const { clock, network, supervisor } = env();
    network.listen('mem://feed');
    supervisor.connect('mem://feed', { id: 'feed' });
    await clock.advance(0);
    const port = await serve(healthHandler(supervisor));
    const post = await request(port, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect(post.body).toBe('');
    // A 405 is heuristically cacheable (RFC 9110 §15.1): a cache must not keep it for a GET's probe.
    expect(post.headers['cache-control']).toBe('no-store');
    expect(post.headers['content-length']).toBe('0');
    for (const method of ['PUT', 'DELETE']) {
      const reply = await request(port, method);
      expect(reply.status).toBe(405);
      expect(reply.headers['cache-control']).toBe('no-store');
    }
    const head = await request(port, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['cache-control']).toBe('no-store');
    expect(head.headers['content-type']).toMatch(/^application\/json/);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
  });

  it('healthReport refuses what it cannot read, naming the option (as healthHandler does)', () => {
    const { supervisor } = env();
    expect(() => healthReport(supervisor, { require: 'feed' as unknown as string[] })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'require' }),
    );
    expect(() => healthReport(supervisor, { allowDegraded: 'yes' as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'allowDegraded' }),
    );
    // An empty list could never be healthy (503 for ever): refused (test/health/health-options.test.ts).
    expect(() => healthReport(supervisor, { require: [] })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'require' }),
    );
  });

  it('a `require` that is not an array of strings is rejected at once, naming the option', () => {
    const { supervisor } = env();
    expect(() => healthHandler(supervisor, { require: 'feed' as unknown as string[] })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'require' }),
    );
    expect(() => healthHandler(supervisor, { require: [1] as unknown as string[] })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'require' }),
    );
  });

  it('no secrets in the body: a link connected with ?token=SECRET, up or failing to connect', async () => {
    const { clock, network, supervisor } = env();
    // One link that is up, one whose server is not there (its error message names the URL).
    network.listen('mem://feed?token=SECRET-UP');
    supervisor.connect('mem://feed?token=SECRET-UP', { id: 'feed' });
    supervisor.connect('mem://gone?token=SECRET-DOWN', { id: 'gone' });
    supervisor.watch({
      name: 'pg',
      probe: async () => {
        throw new Error('auth failed for postgres://app:SECRET-PW@db.internal:5432/main');
      },
    });
    await clock.advance(0);
    const port = await serve(healthHandler(supervisor, { showDetails: 'always' }));
    const reply = await request(port);
    expect(reply.status).toBe(503);
    const report = reportOf(reply);
    expect(report.links.find((l) => l.id === 'link:gone')?.lastError).not.toBeNull();
    const leaks = ['SECRET-UP', 'SECRET-DOWN', 'SECRET-PW'].filter((secret) => reply.body.includes(secret));
    expect(leaks).toEqual([]);
    expect(report.links.find((l) => l.id === 'link:feed')?.url).toBe('mem://feed?token=[redacted]');
  });
});
