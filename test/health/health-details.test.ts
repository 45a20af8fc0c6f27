/**
 * What a health endpoint shows, behind a real `http` server on 127.0.0.1, port 0 (Spring Boot
 * Actuator's `show-details: never | when-authorized | always`): by default a summary — healthy or
 * not and counts, no link id, URL, watcher name or error — with the same status code as the full
 * report; the full report only with `showDetails: 'always'` or an `authorize(request)` that says
 * yes; secrets (URL user info, query tokens, a password in a probe's error) in neither. Bad options
 * are LV_ERR_* naming the option.
 */
import type http from 'node:http';
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  createSupervisor,
  type HealthReport,
  healthHandler,
  type LinkvisorError,
  type Supervisor,
} from '../../src/index.js';
import { createMemoryNetwork, type MemoryNetwork, TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { request, serveHttp } from './serve-http.js';

/** One GET with `headers`. */
const get = (port: number, headers: http.OutgoingHttpHeaders = {}) =>
  request(port, 'GET', '/health', headers);

const SECRETS = ['SECRET-USER', 'SECRET-PASS', 'SECRET-QUERY', 'SECRET-DOWN', 'SECRET-PW'];

describe('healthHandler: what the body shows', () => {
  const h = useHarness();

  /** A supervisor with a ready link (credentials and a token in its URL), one that cannot connect
   * (a token in its URL) and a failing watcher (a password in its error): 503. */
  async function fleet(): Promise<{ supervisor: Supervisor; network: MemoryNetwork; clock: TestClock }> {
    const clock = new TestClock();
    const network = createMemoryNetwork({ clock });
    const supervisor = createSupervisor({ clock, transport: network.transport, heartbeat: false });
    h.defer(() => supervisor.close());
    network.listen('mem://SECRET-USER:SECRET-PASS@feed?token=SECRET-QUERY');
    supervisor.connect('mem://SECRET-USER:SECRET-PASS@feed?token=SECRET-QUERY', { id: 'feed' });
    supervisor.connect('mem://gone?token=SECRET-DOWN', { id: 'gone' });
    supervisor.watch({
      name: 'postgres',
      probe: async () => {
        throw new Error('auth failed for postgres://app:SECRET-PW@db.internal:5432/main');
      },
    });
    await clock.advance(0);
    return { supervisor, network, clock };
  }

  const leaks = (body: string) => SECRETS.filter((secret) => body.includes(secret));

  it('by default: healthy or not and counts, nothing about any link or watcher; the same status code as the details', async () => {
    const { supervisor } = await fleet();
    const summary = await get(await serveHttp(h, healthHandler(supervisor)));
    const detailed = await get(await serveHttp(h, healthHandler(supervisor, { showDetails: 'always' })));
    expect(summary.status).toBe(503);
    expect(detailed.status).toBe(503);
    expect(summary.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(summary.body)).toEqual({
      healthy: false,
      closed: false,
      degraded: false,
      links: { total: 2, ready: 1 },
      watchers: { total: 1, ready: 0 },
      failing: 2,
    });
    for (const word of ['feed', 'gone', 'postgres', 'mem:', 'db.internal', 'auth failed'])
      expect(summary.body).not.toContain(word);
    expect(leaks(summary.body)).toEqual([]);
  });

  it("showDetails: 'always': the full report, every secret redacted (URL user info, query values, a probe's error)", async () => {
    const { supervisor } = await fleet();
    const reply = await get(await serveHttp(h, healthHandler(supervisor, { showDetails: 'always' })));
    const report = JSON.parse(reply.body) as HealthReport;
    expect(report.failing).toEqual(['link:gone', 'postgres']);
    expect(report.links.map((l) => l.id).sort()).toEqual(['link:feed', 'link:gone']);
    expect(report.watchers[0]?.lastError).not.toBeNull();
    expect(leaks(reply.body)).toEqual([]);
    const feed = report.links.find((l) => l.id === 'link:feed');
    expect(feed?.url).not.toContain('SECRET');
    expect(feed?.url).toContain('token=[redacted]');
  });

  it("showDetails: 'whenAuthorized': the details only when authorize(request) says yes; no, a throw, a rejection or a non-boolean is the summary (the last three reported)", async () => {
    const { supervisor } = await fleet();
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (error) => errors.push(error));
    const seen: (string | undefined)[] = [];
    const port = await serveHttp(
      h,
      healthHandler(supervisor, {
        showDetails: 'whenAuthorized',
        authorize: async (request) => {
          seen.push(request.headers.authorization);
          if (request.headers.authorization === 'Bearer throw') throw new Error('store down');
          // A forgotten `return` (or a token object): not a yes.
          if (request.headers.authorization === 'Bearer unsure') return undefined as never;
          // The header itself (truthy, and a secret): not a yes, and never shown.
          if (request.headers.authorization === 'Bearer SECRET-ECHO')
            return request.headers.authorization as never;
          return request.headers.authorization === 'Bearer ops-token';
        },
      }),
    );
    const anonymous = await get(port);
    const wrong = await get(port, { authorization: 'Bearer guess' });
    const failing = await get(port, { authorization: 'Bearer throw' });
    const unsure = await get(port, { authorization: 'Bearer unsure' });
    const echo = await get(port, { authorization: 'Bearer SECRET-ECHO' });
    const ops = await get(port, { authorization: 'Bearer ops-token' });
    for (const reply of [anonymous, wrong, failing, unsure, echo]) {
      expect(reply.status).toBe(503);
      expect(JSON.parse(reply.body)).toMatchObject({ healthy: false, failing: 2, links: { total: 2 } });
      expect(reply.body).not.toContain('feed');
    }
    expect(ops.status).toBe(503);
    expect((JSON.parse(ops.body) as HealthReport).failing).toEqual(['link:gone', 'postgres']);
    expect(leaks(ops.body)).toEqual([]);
    // The body depends on the credentials: no cache may serve one caller's to another.
    expect(ops.headers.vary).toBe('authorization');
    expect(ops.headers['cache-control']).toBe('no-store');
    expect(seen).toEqual([
      undefined,
      'Bearer guess',
      'Bearer throw',
      'Bearer unsure',
      'Bearer SECRET-ECHO',
      'Bearer ops-token',
    ]);
    // The throw and the answer that is not a boolean are reported, never swallowed.
    expect(errors.map((e) => [e.code, e.option, e.message])).toEqual([
      ['LV_ERR_LISTENER', 'authorize', 'healthHandler: authorize() threw: the request sees the summary'],
      [
        'LV_ERR_INVALID_OPTION',
        'authorize',
        'authorize: returned undefined, not a boolean: the request sees the summary',
      ],
      [
        'LV_ERR_INVALID_OPTION',
        'authorize',
        'authorize: returned a string, not a boolean: the request sees the summary',
      ],
    ]);
    expect((errors[0]?.cause as Error | undefined)?.message).toBe('store down');
  });

  // A hung token store must not leave a probe unanswered (Kubernetes would take a healthy pod
  // out) nor hold the request: after authorizeTimeoutMs it counts as no, and the hang is reported.
  it('an authorize(request) that never settles: the summary after authorizeTimeoutMs, the hang reported', async () => {
    const { supervisor, clock } = await fleet();
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (error) => errors.push(error));
    const port = await serveHttp(
      h,
      healthHandler(supervisor, {
        showDetails: 'whenAuthorized',
        authorize: () => new Promise<boolean>(() => {}),
        authorizeTimeoutMs: 2_000,
      }),
    );
    const pending = clock.pending;
    const replied = get(port, { authorization: 'Bearer SECRET-HANG' });
    // The bound runs on the supervisor's clock: nothing is answered until it has passed.
    await waitFor(() => clock.pending > pending, { message: 'the authorize bound set' });
    await clock.advance(1_999);
    expect(errors).toEqual([]);
    await clock.advance(1);
    const reply = await replied;
    expect(clock.pending).toBe(pending);
    expect(reply.status).toBe(503);
    expect(JSON.parse(reply.body)).toEqual(expect.objectContaining({ healthy: false, failing: 2 }));
    expect(JSON.parse(reply.body)).not.toHaveProperty('links.0');
    expect(errors.map((e) => [e.code, e.option, e.message])).toEqual([
      [
        'LV_ERR_LISTENER',
        'authorize',
        'healthHandler: authorize() did not settle within 2000 ms: the request sees the summary',
      ],
    ]);
  });

  it('a request that goes away while authorize(request) hangs: no report, its bound cleared', async () => {
    const { supervisor, clock } = await fleet();
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (error) => errors.push(error));
    let asked!: () => void;
    const askedOnce = new Promise<void>((resolve) => (asked = resolve));
    const port = await serveHttp(
      h,
      healthHandler(supervisor, {
        showDetails: 'whenAuthorized',
        authorize: () => {
          asked();
          return new Promise<boolean>(() => {});
        },
        authorizeTimeoutMs: 600_000,
      }),
    );
    const pending = clock.pending;
    const req = httpRequest({ host: '127.0.0.1', port, path: '/health', agent: false });
    req.on('error', () => {});
    req.end();
    await askedOnce;
    expect(clock.pending).toBe(pending + 1);
    req.destroy();
    await new Promise<void>((resolve) => req.once('close', () => resolve()));
    // The request's end clears its bound: no timer is left for a request nobody waits for.
    await waitFor(() => clock.pending === pending, { message: "the bound cleared at the request's end" });
    await clock.advance(600_000);
    expect(errors).toEqual([]);
  });

  it('bad showDetails / authorize are refused at once, naming the option', async () => {
    const { supervisor } = await fleet();
    const refused = (options: unknown) => {
      try {
        healthHandler(supervisor, options as never);
      } catch (error) {
        return { code: (error as { code?: string }).code, option: (error as { option?: string }).option };
      }
      return undefined;
    };
    expect(refused({ showDetails: 'sometimes' })).toEqual({
      code: 'LV_ERR_INVALID_OPTION',
      option: 'showDetails',
    });
    expect(refused({ showDetails: 'whenAuthorized' })).toEqual({
      code: 'LV_ERR_INVALID_OPTION',
      option: 'authorize',
    });
    expect(refused({ showDetails: 'whenAuthorized', authorize: 'token' })).toEqual({
      code: 'LV_ERR_INVALID_OPTION',
      option: 'authorize',
    });
    expect(refused({ authorize: () => true })).toEqual({
      code: 'LV_ERR_INVALID_OPTION',
      option: 'authorize',
    });
    for (const bad of [0, -1, Number.NaN, '5000', 2 ** 31]) {
      expect(
        refused({ showDetails: 'whenAuthorized', authorize: () => true, authorizeTimeoutMs: bad }),
      ).toEqual({
        code: 'LV_ERR_INVALID_OPTION',
        option: 'authorizeTimeoutMs',
      });
    }
    expect(refused({ showDetails: 'always', authorizeTimeoutMs: 1_000 })).toEqual({
      code: 'LV_ERR_INVALID_OPTION',
      option: 'authorizeTimeoutMs',
    });
    expect(refused({ showDetail: 'always' })).toEqual({
      code: 'LV_ERR_UNKNOWN_OPTION',
      option: 'showDetail',
    });
  });
});
