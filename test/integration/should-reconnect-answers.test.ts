/**
 * `shouldReconnect` as hostile as it gets, on a link whose server drops its first socket (1006:
 * the close table retries). Whatever the hook does, the link's actor never errors, no rejection
 * goes unhandled, and close() leaves nothing behind:
 * - it throws (an Error, a null-prototype object): `error` LV_ERR_LISTENER naming shouldReconnect,
 *   the close table decides (the link reconnects);
 * - it answers neither true nor false (a promise, resolved or rejected: async; undefined; a
 *   number; a string): `error` LV_ERR_INVALID_OPTION naming shouldReconnect, the table decides.
 *   Before, any such answer was taken as false (the link failed, said nothing) and a rejected
 *   promise went unhandled;
 * - it acts on the link or its supervisor from inside (closes the link, calls connect() and send(), closes or
 *   terminates the supervisor): the link ends or goes on, and close() completes.
 * Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { Link, LinkvisorError, Reason, Supervisor } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { useStrayErrors } from '../helpers/stray-errors.js';
import { waitFor } from '../helpers/wait.js';

type Hook = (reason: Reason, attempt: number) => unknown;

interface Case {
  name: string;
  hook: (world: { supervisor: Supervisor; link: () => Link }) => Hook;
  /** The error the link reports, if any. */
  code?: 'LV_ERR_LISTENER' | 'LV_ERR_INVALID_OPTION';
  /** The link reconnects (a second socket) and is ready again. */
  reconnects: boolean;
}

const table: Case[] = [
  {
    name: 'throws an Error',
    hook: () => () => {
      throw new Error('hook bug');
    },
    code: 'LV_ERR_LISTENER',
    reconnects: true,
  },
  {
    name: 'throws a null-prototype object',
    hook: () => () => {
      throw Object.create(null);
    },
    code: 'LV_ERR_LISTENER',
    reconnects: true,
  },
  {
    name: 'is async and resolves true',
    hook: () => async () => true,
    code: 'LV_ERR_INVALID_OPTION',
    reconnects: true,
  },
  {
    name: 'is async and rejects',
    hook: () => async () => {
      throw new Error('async hook bug');
    },
    code: 'LV_ERR_INVALID_OPTION',
    reconnects: true,
  },
  { name: 'answers undefined', hook: () => () => undefined, code: 'LV_ERR_INVALID_OPTION', reconnects: true },
  { name: 'answers 1', hook: () => () => 1, code: 'LV_ERR_INVALID_OPTION', reconnects: true },
  { name: "answers 'no'", hook: () => () => 'no', code: 'LV_ERR_INVALID_OPTION', reconnects: true },
  { name: 'answers true', hook: () => () => true, reconnects: true },
  { name: 'answers false', hook: () => () => false, reconnects: false },
  {
    name: 'closes its link',
    hook:
      ({ link }) =>
      () => {
        void link().close();
        return true;
      },
    reconnects: false,
  },
  {
    name: 'calls connect() and send() on its link',
    hook:
      ({ link }) =>
      () => {
        link().connect();
        link().send('from the hook');
        return true;
      },
    reconnects: true,
  },
  {
    name: 'closes the supervisor',
    hook:
      ({ supervisor }) =>
      () => {
        void supervisor.close();
        return true;
      },
    reconnects: false,
  },
  {
    name: 'terminates the supervisor',
    hook:
      ({ supervisor }) =>
      () => {
        void supervisor.terminate();
        return true;
      },
    reconnects: false,
  },
];

describe('shouldReconnect that throws, answers oddly or acts on the link', () => {
  const h = useHarness();
  const unhandled = useStrayErrors();

  for (const { name, hook, code, reconnects } of table) {
    it(`a hook that ${name}: ${code ?? 'no error'}, ${reconnects ? 'reconnects' : 'does not reconnect'}`, async () => {
      let connections = 0;
      // The first socket is dropped (1006: the table retries), the next kept.
      const server = await h.wsServer({
        onConnection: (ws) => {
          if (++connections === 1) setTimeout(() => ws.terminate(), 20);
        },
      });
      const supervisor = h.supervisor(FAST);
      let link: Link | undefined;
      const asked: number[] = [];
      const user = hook({ supervisor, link: () => link as Link });
      link = supervisor.connect(server.url, {
        shouldReconnect: (reason, attempt) => {
          asked.push(attempt);
          return user(reason, attempt) as boolean;
        },
      });
      const errors: LinkvisorError[] = [];
      link.on('error', (error) => errors.push(error));
      const statuses = new Set<string>();
      const sub = link.actor.subscribe({
        next: (s) => statuses.add(s.status),
        error: () => statuses.add('error'),
      });
      h.defer(() => sub.unsubscribe());
      await waitFor(() => asked.length > 0, { message: 'the hook was asked' });
      if (reconnects) {
        await waitFor(() => link.state === 'ready' && connections === 2, { message: 'ready again' });
      } else {
        await waitFor(() => link.state === 'closed' || link.state === 'failed', {
          message: 'the link ended',
        });
      }
      await waitFor(() => errors.length >= (code ? 1 : 0), { message: 'the error event' });
      expect(errors.map((e) => [e.code, e.option])).toEqual(code ? [[code, 'shouldReconnect']] : []);
      await supervisor.close();
      expect(link.actor.getSnapshot().status).not.toBe('error');
      expect(statuses.has('error')).toBe(false);
      // close() resolves on the link's side of the socket; the server's side closes on its own
      // read of the end (another socket's event, later on a busy host).
      await waitFor(() => server.clients.size === 0, { message: 'the server saw the socket close' });
      // A rejection left unhandled is reported a turn or two later.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    });
  }
});
