/**
 * The drop-in runs the connection chart without its features (`connectionChart`: no handshake or
 * resume states, no group restart, no network rejoin, no intensity that fails; their states and
 * transitions in machines/connection-feature-states.ts, their guards, delays and actions in
 * machines/connection-features.ts), so its bundle leaves them out (test/size/dropin-chart.test.ts).
 * That is right only while no drop-in link can reach them: it never resumes, it has no parent (no group restarts it, no network signal
 * reaches it) and its restart intensity cools down, never fails. Checked on links made with no
 * option and with every drop-in option set: an option that someday passes one of those features
 * through fails here, instead of running a chart that lacks its states. Nor does its provider
 * give the handshake's and resume's transport commands (BENCHMARKS.md round 37 (size)). (That the public
 * setup and machine carry them, and that the two charts differ by them only:
 * test/machines/connection-features.test.ts and test/model/dropin-chart.model.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { connectionChart, type connectionMachine } from '../../machines/connection.machine.js';
import { CONNECTION_FEATURE_ACTIONS } from '../../machines/connection-features.js';
import { ReconnectingWebSocket, type ReconnectingWebSocketOptions } from '../../src/entries/ws.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { dropIn } from './helpers.js';

const EVERY_OPTION: ReconnectingWebSocketOptions = {
  minReconnectionDelay: 20,
  maxReconnectionDelay: 150,
  reconnectionDelayGrowFactor: 1.5,
  minUptime: 1_000,
  connectionTimeout: 2_000,
  maxRetries: 5,
  maxEnqueuedMessages: 10,
  startClosed: false,
  shouldReconnectOnClose: () => true,
  debug: false,
  heartbeat: { intervalMs: 5_000, timeoutMs: 2_000 },
  jitter: 'none',
  closeTimeoutMs: 500,
  shouldReconnect: () => true,
};

describe('drop-in: its links need none of the chart feature actions', () => {
  const h = useHarness();

  it.each([
    ['no option', undefined],
    ['every option', EVERY_OPTION],
  ])('with %s: no resume, no parent, an intensity that never fails', async (_name, options) => {
    const server = await h.wsServer();
    const rws = dropIn(h, server.url, ['chat'], options);
    await waitFor(() => rws.readyState === ReconnectingWebSocket.OPEN, { message: 'open' });
    const { context } = (rws.link as NonNullable<typeof rws.link>).actor.getSnapshot();
    expect(context.policy.resume).toBeNull();
    expect(context.policy.hasHandshake).toBe(false);
    expect(context.parent).toBeUndefined();
    expect(context.policy.intensity?.then ?? 'off').not.toBe('fail');
    // The chart without the features (the supervisor's links run connectionMachine): none of their
    // states, actions, guards or delays (machines/connection-feature-states.ts, connection-features.ts).
    const { logic } = (rws.link as NonNullable<typeof rws.link>).actor as unknown as {
      logic: typeof connectionMachine;
    };
    const { actions, guards, delays } = logic.implementations as unknown as Record<
      string,
      Record<string, unknown>
    >;
    for (const name of [
      ...Object.keys(CONNECTION_FEATURE_ACTIONS),
      'startHandshake',
      'startResume',
      'sendAck',
    ])
      expect(actions, name).not.toHaveProperty(name);
    for (const name of ['hasHandshake', 'resumes', 'groupRestart', 'intensityFails'])
      expect(guards, name).not.toHaveProperty(name);
    for (const name of ['handshakeTimeout', 'resumeTimeout', 'ackDelay', 'rejoinDelay'])
      expect(delays, name).not.toHaveProperty(name);
    expect(Object.keys(logic.root.states)).toEqual(Object.keys(connectionChart.root.states));
    expect(logic.root.states).not.toHaveProperty('rejoining');
    expect(logic.root.states.attempt?.states).not.toHaveProperty('handshaking');
    expect(logic.root.states.attempt?.states).not.toHaveProperty('resuming');
  });
});
