/**
 * The supervisor's methods given hostile arguments, table by table: each is refused at the call
 * (LV_ERR_INVALID_OPTION / LV_ERR_UNKNOWN_OPTION naming the argument, the value never shown) or
 * works as documented, and the supervisor stays usable: a link connects and is ready afterwards,
 * no `error` event, nothing left after close. Before (round 26):
 * - `get(id)` / `watcher(name)` with NaN, undefined or an object found nothing, silently
 *   (`get(undefined)` even looked up `link:undefined`), and a symbol threw a raw TypeError from
 *   the key's template;
 * - `observe(observer)` with null, a number or a string threw a raw TypeError from inside XState
 *   (`…?.bind is not a function`), undefined was taken and observed nothing; and a function (an
 *   XState inspection observer as the `inspect` option takes it) saw the links of the systems there
 *   at the call but none of the links started later (their shard's system called `observer.next`);
 * Setters that already refused (`setReconnect`, `signal`, `connect`, `watch`) are pinned too.
 * Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import type { Supervisor } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';

const refused = (option: string, code = 'LV_ERR_INVALID_OPTION') =>
  expect.objectContaining({ name: 'LinkvisorError', code, option });

const throwingGetter = {
  get id(): string {
    throw new Error('getter');
  },
};
const throwingProxy = new Proxy(
  {},
  {
    get() {
      throw new Error('proxy');
    },
  },
);
/** Values that are no string: every kind the sweep tried. */
const NOT_STRINGS: [string, unknown][] = [
  ['undefined', undefined],
  ['null', null],
  ['42', 42],
  ['NaN', Number.NaN],
  ['-1', -1],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['true', true],
  ['a symbol', Symbol('id')],
  ['an object with a throwing getter', throwingGetter],
  ['a Proxy that throws', throwingProxy],
  ['a frozen object', Object.freeze({})],
  ['an array', ['link:1']],
];
/** Values that are no inspection observer (made in the test: vitest would read a Proxy's keys). */
const NOT_OBSERVERS: [string, string, () => unknown][] = [
  ['undefined', 'observer', () => undefined],
  ['null', 'observer', () => null],
  ['5', 'observer', () => 5],
  ["'log'", 'observer', () => 'log'],
  ['a symbol', 'observer', () => Symbol('o')],
  ['an array', 'observer', () => []],
  ['{ next: 5 }', 'observer.next', () => ({ next: 5 })],
  ['a Proxy that throws', 'observer.next', () => throwingProxy],
];

describe('supervisor methods: hostile arguments', () => {
  const h = useHarness();

  /** The supervisor still works: a new link is ready, and nothing reported an error. */
  async function stillUsable(supervisor: Supervisor, url: string, errors: string[]) {
    const link = supervisor.connect(url);
    await link.ready();
    expect(supervisor.get(link.id)).toBe(link);
    expect(errors).toEqual([]);
  }

  it('get(id) and watcher(name): a value that is no string is refused naming it', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const errors: string[] = [];
    supervisor.on('error', (e) => errors.push(e.code));
    const link = supervisor.connect(server.url, { id: 'undefined' });
    for (const [, bad] of NOT_STRINGS) {
      // A finite number is looked up as its string (`get(5)` finds `link:5`, as before round 26).
      if (typeof bad === 'number' && Number.isFinite(bad))
        expect(supervisor.get(bad as never)).toBeUndefined();
      else expect(() => supervisor.get(bad as never)).toThrow(refused('id'));
      expect(() => supervisor.watcher(bad as never)).toThrow(refused('name'));
    }
    // Strings work as documented: with or without the `link:` prefix, unknown ones undefined.
    expect(supervisor.get('undefined')).toBe(link);
    expect(supervisor.get('link:undefined')).toBe(link);
    expect(supervisor.get('x'.repeat(100_000))).toBeUndefined();
    expect(supervisor.watcher('none')).toBeUndefined();
    await stillUsable(supervisor, server.url, errors);
  });

  it.each(NOT_OBSERVERS)('observe(%s): refused naming %s', async (_, option, bad) => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const errors: string[] = [];
    supervisor.on('error', (e) => errors.push(e.code));
    expect(() => supervisor.observe(bad() as never)).toThrow(refused(option));
    await stillUsable(supervisor, server.url, errors);
  });

  it('observe(fn): a function observer sees links started after the call, until unsubscribe()', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const seen: string[] = [];
    const subscription = supervisor.observe((event: InspectionEvent) => {
      if (event.type === '@xstate.event')
        seen.push(`${(event.actorRef as AnyActorRef).id}:${event.event.type}`);
    });
    const link = supervisor.connect(server.url, { id: 'later' });
    await link.ready();
    expect(seen).toContain('link:later:transport.open');
    subscription.unsubscribe();
    const heard = seen.length;
    await supervisor.connect(server.url, { id: 'after' }).ready();
    expect(seen.length).toBe(heard);
  });

  it('connectGroup: a misspelt key is named (LV_ERR_UNKNOWN_OPTION); nothing is booked (pinned)', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const errors: string[] = [];
    supervisor.on('error', (e) => errors.push(e.code));
    expect(() => supervisor.connectGroup([server.url], { id: 'g', stratgy: 'one-for-all' } as never)).toThrow(
      refused('stratgy', 'LV_ERR_UNKNOWN_OPTION'),
    );
    // Nothing was booked: the id is free, and the group works.
    const group = supervisor.connectGroup([server.url], { id: 'g', strategy: 'one-for-all' });
    await group.ready();
    await stillUsable(supervisor, server.url, errors);
  });

  it('setReconnect, signal, connect, connectGroup, watch: every wrong kind refused naming the argument', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const errors: string[] = [];
    supervisor.on('error', (e) => errors.push(e.code));
    const wrong: unknown[] = [undefined, null, 1, Number.NaN, 'yes', Symbol('s'), Object.freeze({}), []];
    for (const bad of wrong) {
      expect(() => supervisor.setReconnect(bad as never)).toThrow(refused('enabled'));
      expect(() => supervisor.signal(bad as never)).toThrow(refused('signal'));
      expect(() => supervisor.connect(bad as never)).toThrow(refused('url', 'LV_ERR_INVALID_URL'));
      expect(() => supervisor.connectGroup(bad as never, { id: 'g' })).toThrow(refused('urls'));
      if (bad !== undefined && (typeof bad !== 'object' || bad === null || Array.isArray(bad))) {
        expect(() => supervisor.connect(server.url, bad as never)).toThrow(refused('options'));
        expect(() => supervisor.watch(bad as never)).toThrow(refused('options'));
      }
    }
    expect(() => supervisor.connect(server.url, { idd: 'x' } as never)).toThrow(
      refused('idd', 'LV_ERR_UNKNOWN_OPTION'),
    );
    expect(() => supervisor.watch({ name: 'w', probe: async () => {}, pollIntervalMS: 5 } as never)).toThrow(
      refused('pollIntervalMS', 'LV_ERR_UNKNOWN_OPTION'),
    );
    expect(supervisor.list()).toEqual([]);
    await stillUsable(supervisor, server.url, errors);
  });
});
