/**
 * Hostile or broken servers get the verdict of the ONE close table (machines/policy/close-reason.ts):
 * a server that sends an oversize message, invalid UTF-8 or a protocol violation fails the link
 * exactly as the same condition sent as a close code (1009, 1007, 1002) does; `shouldReconnect`
 * can override. A throwing `shouldReconnect` is reported, then the table decides. (HTTP 3xx on the
 * upgrade: test/integration/fatal.test.ts.)
 */
import { createHash } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { classify, classifyCloseCode } from '../../machines/policy/close-reason.js';
import type { LinkvisorError, Reason } from '../../src/index.js';
import { nextEvent, recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';

/** The backoff cap of FAST: a window of twice this would contain any retry. */
const CAP_MS = FAST.backoff.maxDelayMs;
const MAX_PAYLOAD_BYTES = 1024;

/** Completes the WebSocket upgrade by hand (RFC 6455 §4.2.2), so the test can write raw frames. */
function acceptUpgrade(request: http.IncomingMessage, socket: Duplex): void {
  const key = String(request.headers['sec-websocket-key']);
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
}

/** An unmasked server frame: FIN + opcode (+ RSV bits), 7- or 16-bit length. */
function frame(firstByte: number, payload: Buffer, mask = false): Buffer {
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([firstByte, (mask ? 0x80 : 0) | length])
      : Buffer.from([firstByte, (mask ? 0x80 : 0) | 126, length >> 8, length & 0xff]);
  return Buffer.concat([header, mask ? Buffer.alloc(4) : Buffer.alloc(0), payload]);
}

/** What each hostile server writes after the upgrade, and the close code of the same condition. */
const HOSTILE: [string, Buffer, number][] = [
  ['an oversize message', frame(0x81, Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x61)), 1009],
  ['invalid UTF-8 in a text message', frame(0x81, Buffer.from([0x68, 0xff, 0xfe, 0x69])), 1007],
  ['invalid UTF-8 in a close reason', frame(0x88, Buffer.from([0x03, 0xe8, 0xc3, 0x28])), 1007],
  ['a reserved opcode (protocol violation)', frame(0x83, Buffer.from('x')), 1002],
  ['a masked server frame (protocol violation)', frame(0x81, Buffer.from('x'), true), 1002],
  ['reserved bits set (protocol violation)', frame(0xb1, Buffer.from('x')), 1002],
  ['an invalid close code (protocol violation)', frame(0x88, Buffer.from([0x03, 0xec])), 1002],
  ['a fragmented ping (protocol violation)', frame(0x09, Buffer.from('x')), 1002],
];

describe('integration: hostile servers get the close table verdict', () => {
  const h = useHarness();

  async function hostileServer(bytes: Buffer) {
    return h.upgradeServer((request, socket) => {
      acceptUpgrade(request, socket);
      socket.write(bytes);
    });
  }

  it.each(HOSTILE.map(([name, bytes, code]) => ({ name, bytes, code })))(
    'a server that sends $name: failed like close code $code, one attempt',
    async ({ bytes, code }) => {
      expect(classifyCloseCode(code)).toBe('fatal');
      const server = await hostileServer(bytes);
      const supervisor = h.supervisor({ ...FAST, maxPayloadBytes: MAX_PAYLOAD_BYTES });
      const link = supervisor.connect(server.url);
      const log = recordEvents(link);

      const failed = await nextEvent(link, 'failed');
      expect(failed.reason.kind).toBe('error');
      expect(failed.reason.errorCode).toMatch(/^WS_ERR_/);
      expect(classify(failed.reason)).toBe(classifyCloseCode(code));
      await sleep(2 * CAP_MS);
      expect(server.upgrades).toBe(1);
      expect(log.count('reconnecting')).toBe(0);
    },
  );

  it('shouldReconnect overrides the verdict: a server sending invalid UTF-8 is retried when the hook says so', async () => {
    const server = await hostileServer(HOSTILE[1]?.[1] ?? Buffer.alloc(0));
    const seen: Reason[] = [];
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(server.url, {
      shouldReconnect: (reason) => {
        seen.push(reason);
        return true;
      },
    });
    const reconnecting = await nextEvent(link, 'reconnecting');
    expect(reconnecting.reason.errorCode).toBe('WS_ERR_INVALID_UTF8');
    await waitFor(() => server.upgrades >= 2, { message: 'a second attempt' });
    expect(seen[0]?.errorCode).toBe('WS_ERR_INVALID_UTF8');
    expect(link.state).not.toBe('failed');
  });

  it.each([
    [4000, 'reconnecting'],
    [1008, 'failed'],
  ] as const)(
    'a shouldReconnect that throws (close %i): an LV_ERR_LISTENER error naming it, then the table decides (%s)',
    async (code, outcome) => {
      const server = await h.wsServer({ onConnection: (ws) => ws.close(code, 'bye') });
      const supervisor = h.supervisor(FAST);
      const boom = new Error('hook bug');
      const link = supervisor.connect(server.url, {
        shouldReconnect: () => {
          throw boom;
        },
      });
      const log = recordEvents(link);
      const error = (await nextEvent(link, 'error')) as LinkvisorError;
      expect(error.code).toBe('LV_ERR_LISTENER');
      expect(error.option).toBe('shouldReconnect');
      expect(error.message).toContain('shouldReconnect');
      // A redacted copy of it (docs/errors.md, "What `cause` is").
      expect(error.cause).not.toBe(boom);
      expect((error.cause as Error).message).toBe(boom.message);
      await waitFor(() => log.count(outcome) > 0, { message: outcome });
      expect(link.state === 'failed').toBe(outcome === 'failed');
      // Reported after the step: the state change is already visible to the listener.
      expect(log.events.findIndex((e) => e.type === 'state')).toBeLessThan(
        log.events.findIndex((e) => e.type === 'error'),
      );
    },
  );
});
