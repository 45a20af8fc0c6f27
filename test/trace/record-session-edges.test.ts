/**
 * recordSession() at its edges, on a real `ws` server on loopback: a closed (or closing)
 * supervisor is refused as its connect() refuses (LV_ERR_SUPERVISOR_CLOSED), and the sinks are
 * called as methods of the options object, so a class instance's keep their `this`.
 */
import { describe, expect, it } from 'vitest';
import type { LinkvisorError } from '../../src/index.js';
import type { TraceHeader, TraceRecord } from '../../src/trace/index.js';
import { recordSession } from '../../src/trace/record-session.js';
import { FAST, useHarness } from '../helpers/harness.js';

describe('recordSession() edges', () => {
  const h = useHarness();

  it('a closing or closed supervisor is refused, LV_ERR_SUPERVISOR_CLOSED, as connect() is', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    await supervisor.connect(server.url).ready();
    const closing = supervisor.close();
    const closed = expect.objectContaining({
      name: 'LinkvisorError',
      code: 'LV_ERR_SUPERVISOR_CLOSED',
      message: expect.stringMatching(/^recordSession\(\)/),
    });
    expect(() => supervisor.connect(server.url)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_SUPERVISOR_CLOSED' }),
    );
    expect(() => recordSession(supervisor)).toThrow(closed);
    await closing;
    expect(() => recordSession(supervisor)).toThrow(closed);
  });

  it('a class instance as the options: its onHeader / onRecord methods keep their this', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (error) => errors.push(error));
    class JsonlSink {
      readonly #lines: string[] = [];
      onHeader(header: TraceHeader): void {
        this.#lines.push(JSON.stringify(header));
      }
      onRecord(record: TraceRecord): void {
        this.#lines.push(JSON.stringify(record));
      }
      get lines(): readonly string[] {
        return this.#lines;
      }
    }
    const sink = new JsonlSink();
    const recorder = recordSession(supervisor, sink);
    const link = supervisor.connect(server.url, { id: 'feed' });
    await link.ready();
    await link.close();
    recorder.stop();
    const text = recorder.toJSONL();
    expect(errors).toEqual([]);
    expect(sink.lines.length).toBeGreaterThan(3);
    expect(`${sink.lines.join('\n')}\n`).toBe(text);
  });
});
