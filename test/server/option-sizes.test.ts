/**
 * Sizes, counts and durations of `resumable(wss, options)` and of a link's `resume` option: 0
 * is taken only where it means something (`ackDelayMs`: acknowledge each message at once;
 * `maxAwaySessions`: no session waits for its client); elsewhere 0, a negative number or a
 * fraction of a size or count is LV_ERR_INVALID_OPTION naming the option. A real ws server.
 */
import { describe, expect, it } from 'vitest';
import { checkResumeOption } from '../../src/resume/resume-options.js';
import { resumable } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { connectedSession } from './connected-session.js';

const REFUSED: [string, number][] = [
  ['maxBytes', 0],
  ['maxBytes', -1],
  ['maxBytes', 1.5],
  ['maxMessages', 0],
  ['maxMessages', -2],
  ['maxMessages', 2.5],
  ['ackEveryMessages', 0],
  ['ackEveryMessages', 1.5],
  ['ackDelayMs', -1],
  ['sessionTtlMs', 0],
  ['sessionTtlMs', -1],
  ['helloTimeoutMs', 0],
  ['maxSessions', 0],
  ['maxSessions', 1.5],
  ['maxAwaySessions', -1],
  ['maxAwaySessions', 0.5],
];
const TAKEN: [string, number][] = [
  ['maxBytes', 1],
  ['ackDelayMs', 0],
  ['ackDelayMs', 0.5],
  ['maxAwaySessions', 0],
  ['maxSessions', Number.POSITIVE_INFINITY],
];

describe('resumable(wss, options): zero, negative and fractional sizes and counts', () => {
  const h = useHarness();

  it.each(REFUSED)('%s: %s is LV_ERR_INVALID_OPTION naming it', async (option, value) => {
    const server = await h.wsServer();
    expect(() => resumable(server.wss, { [option]: value })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option }),
    );
    expect(server.wss.listenerCount('connection')).toBe(0);
  });

  it.each(TAKEN)('%s: %s is taken', async (option, value) => {
    const server = await h.wsServer();
    const rs = resumable(server.wss, { [option]: value });
    await rs.close();
  });

  it("a link's resume option: 0 only for ackDelayMs", () => {
    for (const [option, value] of [
      ['maxBytes', 0],
      ['maxMessages', 0],
      ['ackEveryMessages', 0],
      ['resumeTimeoutMs', 0],
      ['resumeTimeoutMs', -1],
      ['maxBytes', 2.5],
    ] as const) {
      expect(() => checkResumeOption({ [option]: value })).toThrow(
        expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: `resume.${option}` }),
      );
    }
    expect(checkResumeOption({ ackDelayMs: 0 })).toEqual({ ackDelayMs: 0 });
  });

  it('ackDelayMs 0: the server acknowledges each message at once', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss, { ackDelayMs: 0, ackEveryMessages: 1000 });
    h.defer(() => rs.close());
    const { client, session } = await connectedSession(h, rs, server.url);
    const got: string[] = [];
    session.on('message', (data) => got.push(String(data)));
    client.send('one');
    await waitFor(() => got.length === 1 && client.core.stream.bufferedMessages === 0, {
      message: 'delivered and acknowledged',
    });
  });
});
