/**
 * The refresh mark (`retry.refreshed`: a credentials rejection's one fresh attempt was made, so
 * the next rejection is a second in a row, fatal) against the link's long waits, pure. A user
 * reads docs/supervisor.md ("credentials that refresh"): a second rejection is fatal only before
 * the link was stable again (ready for stableAfterMs) or waited before an attempt. Before (seen
 * failing): a link paused by its application after a refresh never became stable however long it
 * stayed ready (no stable wait ran in ready.paused), and a fresh attempt that failed for another
 * reason while reconnecting was off kept the mark through suspended and rejoining (no backoff wait
 * cleared it): hours later, a token that expired meanwhile failed the link as "a second rejection
 * in a row". Now a paused link is stable at the end of a probe's interval that covers the rest of
 * its stable wait, and a disconnect that is no rejection ends the fresh attempt's trial (what
 * follows waits: the backoff, a cool-down, an outage in suspended). A rejection right after the
 * fresh one, paused or not, is still fatal (a server that accepts then rejects is not hammered).
 */
import { describe, expect, it } from 'vitest';
import type { Reason } from '../../machines/policy/close-reason.js';
import { RESET_1006, TIMING, Walk } from './connection-walk.js';

const EXPIRED: Reason = { kind: 'close', code: 3000, message: 'expired' };
const HTTP_401: Reason = { kind: 'http', status: 401, message: 'unexpected server response: 401' };
const PAUSED = { attempt: { ready: 'paused' } };

/** A link with a per-attempt function, ready on its fresh attempt after a rejection (marked). */
function refreshedWalk(init: ConstructorParameters<typeof Walk>[0] = {}): Walk {
  const walk = new Walk({ perAttempt: true, intensity: false, ...init });
  walk.send({ type: 'transport.opening' }).send({ type: 'transport.open' });
  walk.send({ type: 'transport.closed', reason: EXPIRED });
  expect(walk.snapshot.value).toEqual({ attempt: 'resolving' });
  walk.send({ type: 'transport.opening' }).send({ type: 'transport.open' });
  expect(walk.state).toBe('ready');
  expect(walk.context.retry.refreshed).toBe(true);
  return walk;
}

describe('the refresh mark while paused', () => {
  it('paused for a probe interval (≥ stableAfterMs) after a refresh: stable, the next rejection is a first one', () => {
    const walk = refreshedWalk();
    walk.send({ type: 'link.pause' });
    expect(walk.snapshot.value).toEqual(PAUSED);
    walk.fire('heartbeatInterval');
    expect(walk.snapshot.value).toEqual(PAUSED);
    expect(walk.sentToTransport()).toEqual([{ type: 'transport.probe' }]);
    expect(walk.context.stable).toBe(true);
    expect(walk.context.retry.refreshed).toBeUndefined();
    // Hours later (more probes: nothing changes), the token expires: one fresh attempt at once.
    walk.fire('heartbeatInterval').fire('heartbeatInterval');
    walk.send({ type: 'transport.closed', reason: EXPIRED });
    expect(walk.snapshot.value).toEqual({ attempt: 'resolving' });
  });

  it('a rejection before the first probe (paused, not stable yet) is still a second in a row: fatal', () => {
    const walk = refreshedWalk();
    walk.send({ type: 'link.pause' });
    walk.send({ type: 'transport.closed', reason: EXPIRED });
    expect(walk.snapshot.value).toBe('failed');
    expect(walk.context.failure).toEqual(EXPIRED);
  });

  it('a stable wait longer than the interval is not reached by a probe: still fatal (never stable early)', () => {
    const walk = refreshedWalk({ backoff: { stableAfterMs: TIMING.heartbeat.intervalMs + 1 } });
    walk.send({ type: 'link.pause' });
    walk.fire('heartbeatInterval');
    expect(walk.context.stable).toBe(false);
    expect(walk.context.retry.refreshed).toBe(true);
    walk.send({ type: 'transport.closed', reason: EXPIRED });
    expect(walk.snapshot.value).toBe('failed');
  });
});

describe('the refresh mark across suspended and rejoining', () => {
  /** The fresh attempt fails for another reason (a reset) while reconnecting is off: suspended. */
  function suspendedAfterRefresh(): Walk {
    const walk = refreshedWalk();
    walk.send({ type: 'reconnect.disable' });
    walk.send({ type: 'transport.closed', reason: RESET_1006 });
    expect(walk.state).toBe('suspended');
    expect(walk.context.retry.refreshed).toBeUndefined();
    return walk;
  }

  it('the network comes back after a long outage: a rejection (the token expired meanwhile) is a first one', () => {
    const walk = suspendedAfterRefresh();
    walk.send({ type: 'network.online' });
    expect(walk.state).toBe('rejoining');
    walk.fire('rejoinDelay');
    walk.send({ type: 'transport.closed', reason: HTTP_401 });
    expect(walk.snapshot.value).toEqual({ attempt: 'resolving' });
    // The fresh attempt's own rejection: a second in a row.
    walk.send({ type: 'transport.closed', reason: HTTP_401 });
    expect(walk.snapshot.value).toBe('failed');
  });

  it('link.reconnect() from suspended, reconnecting still off: the rejection waits in suspended, then one fresh attempt', () => {
    const walk = suspendedAfterRefresh();
    walk.send({ type: 'link.reconnect' });
    walk.send({ type: 'transport.closed', reason: HTTP_401 });
    expect(walk.state).toBe('suspended');
    walk.send({ type: 'reconnect.enable' });
    expect(walk.state).toBe('reconnecting');
  });

  it('the fresh attempt rejected while reconnecting is off: a second in a row, fatal (the mark stays)', () => {
    const walk = new Walk({ perAttempt: true, intensity: false });
    walk.send({ type: 'transport.opening' }).send({ type: 'transport.open' });
    walk.send({ type: 'transport.closed', reason: EXPIRED });
    walk.send({ type: 'reconnect.disable' });
    walk.send({ type: 'transport.closed', reason: HTTP_401 });
    expect(walk.snapshot.value).toBe('failed');
    expect(walk.context.failure).toEqual(HTTP_401);
  });
});

describe('the refresh mark across a group restart', () => {
  const RESTART = { type: 'link.restart', group: 'api', cause: 'link:api/1' } as const;

  it('restarted by its group (at once) after a refresh: the mark stays, the next rejection is fatal', () => {
    const walk = refreshedWalk();
    walk.send(RESTART);
    expect(walk.snapshot.value).toEqual({ attempt: 'resolving' });
    expect(walk.context.retry.refreshed).toBe(true);
    walk.send({ type: 'transport.opening' }).send({ type: 'transport.open' });
    walk.send({ type: 'transport.closed', reason: EXPIRED });
    expect(walk.snapshot.value).toBe('failed');
    expect(walk.context.failure).toEqual(EXPIRED);
  });

  it('restarted by its group with reconnecting off: it waits in suspended, the mark ends', () => {
    const walk = refreshedWalk();
    walk.send({ type: 'reconnect.disable' });
    walk.send(RESTART);
    expect(walk.state).toBe('suspended');
    expect(walk.context.retry.refreshed).toBeUndefined();
  });
});
