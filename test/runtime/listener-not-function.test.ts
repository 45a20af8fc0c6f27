/**
 * `on(event, listener)` with a listener that is no function (a number, null, an object, a string),
 * on a link, a supervisor, a group, a resumable server and its session: refused at the call with
 * LV_ERR_INVALID_OPTION naming `listener`, and nothing is registered. Before: it was taken, and
 * every event it was added for reported an `error` (LV_ERR_LISTENER, "a 'state' listener threw")
 * instead, far from the call that was wrong. Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep } from '../helpers/wait.js';

const NOT_FUNCTIONS: [string, unknown][] = [
  ['5', 5],
  ['null', null],
  ['an object', { handleEvent() {} }],
  ['a string', 'onMessage'],
];

const refused = expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'listener' });

describe('on() with a listener that is no function', () => {
  const h = useHarness();

  it.each(NOT_FUNCTIONS)(
    '%s: refused by a link, its supervisor and group, a resumable server and session',
    async (_, bad) => {
      const server = await h.wsServer();
      const rs = resumable(server.wss);
      h.defer(() => rs.close());
      const sessions: ResumableSession[] = [];
      rs.on('session', (s) => sessions.push(s));
      expect(() => rs.on('session', bad as never)).toThrow(refused);
      const errors: string[] = [];
      rs.on('error', (e) => errors.push(`server ${e.code}`));
      const supervisor = h.supervisor({ ...FAST, networkSignals: false });
      supervisor.on('error', (e) => errors.push(`supervisor ${e.code}`));
      expect(() => supervisor.on('up', bad as never)).toThrow(refused);
      const group = supervisor.connectGroup([server.url], { id: 'g' });
      group.on('error', (e) => errors.push(`group ${e.code}`));
      expect(() => group.on('up', bad as never)).toThrow(refused);
      const link = supervisor.connect(server.url, { resume: {} });
      link.on('error', (e) => errors.push(`link ${e.code}`));
      for (const event of ['state', 'ready', 'message', 'closed'] as const) {
        expect(() => link.on(event, bad as never)).toThrow(refused);
      }
      await link.ready();
      await group.ready();
      expect(sessions.length).toBeGreaterThan(0);
      const session = sessions[0] as ResumableSession;
      expect(() => session.on('message', bad as never)).toThrow(refused);
      link.send('hello');
      await sleep(50);
      await supervisor.close();
      expect(errors).toEqual([]);
    },
  );
});
