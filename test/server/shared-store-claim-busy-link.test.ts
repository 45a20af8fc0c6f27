/**
 * The 1013 of a claim refused SESSION_CLAIM_TRIES times (src/server/claimed-lookup.ts), seen by a
 * real linkvisor link: the close table counts 1013 retryable (machines/policy/close-reason.ts),
 * so the link reconnects after its backoff keeping its session, and resumes it on server B once
 * the store is quiet (never a reset). Servers A and B share one `memoryStore()` through
 * ./shared-view.ts (with `claimOwned`); real `ws` servers on 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import type { Reason } from '../../machines/policy/close-reason.js';
import { SESSION_CLAIM_TRIES } from '../../machines/policy/session-claim.js';
import { memoryStore, type ResumableSession, resumable, type SessionRecord } from '../../src/server/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { unreachableUrl } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';
import { serverB } from './server-b.js';
import { sharedView } from './shared-view.js';

describe('a hello whose claim is refused at every read, from a real link', () => {
  const h = useHarness();

  it('closed 1013 (session busy): the link retries, keeps its session and resumes it on B', async () => {
    const inner = memoryStore();
    const serverA = await h.wsServer();
    const a = resumable(serverA.wss, { store: sharedView(inner, [], {}, true, true, true) });
    h.defer(() => a.close());
    const sessions: ResumableSession[] = [];
    a.on('session', (s) => sessions.push(s));
    const B = await serverB(h, inner);
    const deadUrl = await unreachableUrl(() => h.wsServer());
    let url = serverA.url;
    const link = h.supervisor({ ...FAST }).connect(() => url, { resume: true });
    const events: string[] = [];
    const reasons: Reason[] = [];
    link.on('reset', ({ reason }) => events.push(`reset ${reason}`));
    link.on('resumed', () => events.push('resumed'));
    link.on('reconnecting', ({ reason }) => reasons.push(reason));
    await link.ready();
    await waitFor(() => sessions.length === 1, { message: 'session on A' });
    const id = (sessions[0] as ResumableSession).id;
    // The link away (its next server unreachable); A's away write lands.
    url = deadUrl;
    for (const ws of serverA.wss.clients) ws.terminate();
    await waitFor(() => inner.get(id) !== undefined, { message: "A's record" });
    // Another write slipped into each of B's first SESSION_CLAIM_TRIES claims.
    let bumps = SESSION_CLAIM_TRIES;
    const bump = () => {
      const record = inner.get(id) as SessionRecord;
      inner.put(id, { ...record, version: (record.version ?? 0) + 1 }, 60_000);
    };
    const push = B.calls.push.bind(B.calls);
    B.calls.push = (...items: string[]) => {
      if (items.includes('claimOwned') && bumps-- > 0) B.hold.next = bump;
      return push(...items);
    };
    const before = reasons.length;
    url = B.server.url;
    await waitFor(() => events.includes('resumed'), { message: 'resumed on B' });
    const refusal = reasons.slice(before).find((r) => r.code === 1013);
    expect(refusal).toMatchObject({ kind: 'close', code: 1013 });
    expect(refusal?.message).toContain('session busy');
    expect(events).toEqual(['resumed']);
    expect(B.calls.filter((call) => call === 'claimOwned')).toHaveLength(SESSION_CLAIM_TRIES + 1);
    expect(B.b.size).toBe(1);
    expect(B.errors).toEqual([]);
  });
});
