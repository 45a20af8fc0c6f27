/**
 * What a supervisor's links pay for their error events being scrubbed of every link's secrets
 * (src/runtime/link-wire.ts `redactUser`, the supervisor's ./supervisor-secrets.ts scrub): nothing
 * on a drop's or a message's path. Counted, not timed: the calls of the supervisor's scrub while
 * 100 links with a bearer token each receive messages, queue and drop messages, and are all
 * dropped by their server and reconnect (none), then once a listener throws (some: the count
 * works). Real ws server on 127.0.0.1, port 0.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Link } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

/** Calls of every SupervisorSecrets' scrub (a supervisor's, a group's). */
let scrubs = 0;
vi.mock('../../src/runtime/supervisor-secrets.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/runtime/supervisor-secrets.js')>();
  class Counted extends real.SupervisorSecrets {
    constructor(links: ConstructorParameters<typeof real.SupervisorSecrets>[0]) {
      super(links);
      const scrub = this.redact;
      (this as { redact: (text: string) => string }).redact = (text) => {
        scrubs++;
        return scrub(text);
      };
    }
  }
  return { ...real, SupervisorSecrets: Counted };
});

const LINKS = 100;

describe("a supervisor's link error scrub: its cost", () => {
  const h = useHarness();

  it('messages, dropped messages and a drop of every link call no scrub; a listener that throws does', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, queue: { maxMessages: 2, overflow: 'drop-oldest' } });
    const links: Link[] = [];
    scrubs = 0;
    const received: number[] = [];
    const dropped: number[] = [];
    for (let n = 0; n < LINKS; n++) {
      const link = supervisor.connect(server.url, {
        headers: { Authorization: `Bearer CostToken${n}x${'q'.repeat(16)}` },
      });
      link.on('message', () => {
        received[n] = (received[n] ?? 0) + 1;
      });
      link.on('dropped', () => {
        dropped[n] = (dropped[n] ?? 0) + 1;
      });
      // Three sends before ready with room for two: one dropped (overflow) each.
      for (const data of ['a', 'b', 'c']) link.send(data);
      links.push(link);
    }
    await Promise.all(links.map((link) => link.ready()));
    for (const ws of server.clients) ws.send('hello');
    await waitFor(() => received.filter(Boolean).length === LINKS, { message: 'every link got a message' });
    // The drop: the server ends every socket; each link reconnects.
    const lost = links.map((link) => new Promise((resolve) => link.on('state', resolve)));
    for (const ws of server.clients) ws.terminate();
    await Promise.all(lost);
    await Promise.all(links.map((link) => link.ready()));
    expect(dropped.filter(Boolean)).toHaveLength(LINKS);
    expect(scrubs).toBe(0);
    // The counter counts: one listener's throw is scrubbed of every link's secrets.
    const errors: unknown[] = [];
    links[0]?.on('error', (error) => errors.push(error));
    links[0]?.on('state', () => {
      throw new Error('CostToken7x');
    });
    void links[0]?.close();
    await waitFor(() => errors.length > 0, { message: "the first link's listener error" });
    expect(scrubs).toBeGreaterThan(0);
  });
});
