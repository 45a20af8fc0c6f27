/**
 * A handshake's reply and the first messages arrive in one read: the messages held behind the
 * handshake are delivered right after the step that made the link ready (HeldMessages.release, a
 * microtask after the step's `ready`: ./held-messages-order.test.ts). A `message` listener among them that ends the link by terminating its socket
 * (`supervisor.terminate()`, also when its linger runs out) gets nothing more: the rest is reported
 * `dropped` (`unread`) before `closed`, as in the unpaused mid-batch case (./batch-end.test.ts);
 * `link.close()` reads on, so the rest is delivered. A defineLink actor stopped by such a listener:
 * ./define-link-held-stop.test.ts (the rest is delivered). Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { Link, Supervisor } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep } from '../helpers/wait.js';
import { deliveredAndUnread } from './unread-reports.js';
import { welcomeHandshake, welcomeThen } from './welcome-handshake.js';

const N = 8;
const AT = 2;
const BATCH = Array.from({ length: N }, (_, i) => `${i} ${'x'.repeat(20)}`);
const ALL = Array.from({ length: N }, (_, i) => i);

/** A server that answers the client's `hello` with its reply and the batch, in one TCP write. */
const onConnection = welcomeThen(BATCH);
const handshake = welcomeHandshake;

type End = (link: Link, supervisor: Supervisor) => void;
const ENDS: [string, End, 'delivered' | 'reported'][] = [
  ['supervisor.terminate()', (_, supervisor) => void supervisor.terminate(), 'reported'],
  ['link.close()', (link) => void link.close(), 'delivered'],
];

describe('messages held behind a handshake, a listener ends the link among them', () => {
  const h = useHarness();

  it.each(ENDS)(
    '%s: the rest delivered or reported as the end says, nothing after it',
    async (_, end, rest) => {
      const server = await h.wsServer({ onConnection });
      const supervisor = h.supervisor({ ...FAST, networkSignals: false });
      const link = supervisor.connect(server.url, { handshake });
      const { delivered, unread } = deliveredAndUnread(link);
      const events: string[] = [];
      link.on('message', (data) => {
        events.push('message');
        if (String(data).startsWith(`${AT} `)) end(link, supervisor);
      });
      link.on('dropped', () => events.push('dropped'));
      link.on('closed', () => events.push('closed'));
      await link.ended();
      const atEnd = { delivered: [...delivered], unread: [...unread] };
      await sleep(100);
      const split = rest === 'delivered' ? N : AT + 1;
      expect({ delivered, unread }).toEqual({ delivered: ALL.slice(0, split), unread: ALL.slice(split) });
      expect(atEnd).toEqual({ delivered, unread });
      expect(events.at(-1)).toBe('closed');
    },
  );
});
