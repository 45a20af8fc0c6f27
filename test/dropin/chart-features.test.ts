/**
 * The drop-in runs the connection chart without its feature actions (machines/connection-features.ts:
 * the resumable session's, a group's restart, the network rejoin, an intensity that fails), so its
 * bundle leaves them out (test/size/bundle-size.test.ts). That is right only while no drop-in link
 * can reach them: it never resumes, it has no parent (no group restarts it, no network signal
 * reaches it) and its restart intensity cools down, never fails. Checked on links made with no
 * option and with every drop-in option set: an option that someday passes one of those features
 * through fails here, instead of running a chart whose action does nothing. Nor does its provider
 * give the handshake's and resume's transport commands (BENCHMARKS.md round 37 (size)). (That the public
 * setup and machine carry the feature actions: test/machines/connection-features.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { connectionChart, connectionMachine } from '../../machines/connection.machine.js';
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
    // The chart without the feature actions (the supervisor's links run connectionMachine's).
    const { logic } = (rws.link as NonNullable<typeof rws.link>).actor as unknown as {
      logic: typeof connectionMachine;
    };
    const actions = logic.implementations.actions as Record<string, unknown>;
    for (const name of Object.keys(CONNECTION_FEATURE_ACTIONS))
      expect(actions[name], name).not.toBe(
        connectionMachine.implementations.actions[name as keyof typeof CONNECTION_FEATURE_ACTIONS],
      );
    // Nor the handshake's and resume's transport commands: the chart's own no-ops stay
    // (src/runtime/transport-actor.ts, featureCommandActions: provideRuntime's links only).
    const chartActions = connectionChart.implementations.actions as Record<string, unknown>;
    for (const name of ['startHandshake', 'startResume', 'sendAck'])
      expect(actions[name], name).toBe(chartActions[name]);
  });
});
