/**
 * A real session whose last pong arrives while the link closes: the application closes the link
 * while a ping is out, and the server's pong is read before the echo of the close frame (a real
 * socket reads until that echo). Recorded on a real ws server on 127.0.0.1, the trace holds a
 * `heartbeat.pong` in `attempt.closing`; its replay gives that pong to the closing link, where no
 * memory peer is open any more, and is identical (before: "no open connection to answer a ping").
 */
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../../src/testing/index.js';
import { recordSession } from '../../src/trace/record-session.js';
import { formatTrace, parseTrace } from '../../src/trace/trace-format.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

describe('replay: a pong read while the link closes', () => {
  const h = useHarness();

  it('replays identically a session whose pong arrived after close() began', async () => {
    let close: (() => void) | null = null;
    const server = await h.wsServer({
      autoPong: false,
      onConnection: (ws) => {
        ws.on('ping', (data) => {
          // The application closes the link while this ping is out; the pong leaves at once,
          // before the server reads the client's close frame (and echoes it).
          close?.();
          ws.pong(data);
        });
      },
    });
    const supervisor = h.supervisor({ ...FAST, heartbeat: { intervalMs: 50, timeoutMs: 2_000 } });
    const recorder = recordSession(supervisor);
    const link = supervisor.connect(`${server.url}/feed`);
    close = () => {
      close = null;
      void link.close();
    };
    await waitFor(() => link.state === 'closed', { timeoutMs: 10_000, message: 'the link closed' });
    const trace = parseTrace(formatTrace(recorder.stop()));

    const pongs = trace.records.filter(
      (r) =>
        r.kind === 'event' && r.event.type === 'heartbeat.pong' && JSON.stringify(r.from).includes('closing'),
    );
    expect(pongs, 'the recorded pong arrived while the link closed').toHaveLength(1);
    const result = await replayTrace(trace);
    expect(result.message).toMatch(/^replay identical/);
    expect(result.ok).toBe(true);
  });
});
