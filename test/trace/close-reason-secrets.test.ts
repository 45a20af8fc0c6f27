/**
 * The reason a link is closed with (`link.close({ code, reason })`, free text of the application's)
 * in a trace recorded over a real `ws` server on 127.0.0.1: a credential in it (`token=…`,
 * `Bearer …`) is not in the file, in the command's records as in the close the socket reports;
 * and a reason at the 123-byte limit that the redaction made longer (the link's own short secret
 * replaced by `[redacted]`) still replays identically.
 */
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../../src/testing/replay-trace.js';
import { recordSession } from '../../src/trace/record-session.js';
import { formatTrace, parseTrace } from '../../src/trace/trace-format.js';
import { FAST, useHarness } from '../helpers/harness.js';

describe('trace: a close reason holding a credential', () => {
  const h = useHarness();

  async function recordClose(url: (base: string) => string, reason: string): Promise<string> {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, seed: 5 });
    const recorder = recordSession(supervisor);
    const link = supervisor.connect(url(server.url), { id: 'feed', heartbeat: false });
    await link.ready();
    await link.close({ code: 4000, reason });
    const trace = recorder.stop();
    await supervisor.close();
    return formatTrace(trace);
  }

  it('a credential in the reason is not in the trace, and the trace replays identically', async () => {
    for (const [reason, secret] of [
      ['logout token=abcd1234efgh', 'abcd1234efgh'],
      ['revoked: Bearer eyQ9zK2mW7pL4xR8', 'eyQ9zK2mW7pL4xR8'],
    ] as const) {
      const text = await recordClose((base) => base, reason);
      expect(text, reason).not.toContain(secret);
      expect(text).toMatch(/"reason":"[^"]*\[redacted\]/);
      expect((await replayTrace(parseTrace(text))).message).toMatch(/^replay identical/);
    }
  });

  it('a 123-byte reason that redaction made longer replays identically', async () => {
    const secret = 'ab12cd34';
    const reason = `${'x'.repeat(123 - secret.length)}${secret}`;
    expect(new TextEncoder().encode(reason).length).toBe(123);
    const text = await recordClose((base) => `${base}/?token=${secret}`, reason);
    expect(text).not.toContain(secret);
    const result = await replayTrace(parseTrace(text));
    expect(result.message).toMatch(/^replay identical/);
  });
});
