/**
 * `link.ready({ signal })` with a signal that is no AbortSignal (`{}`, a number, an object
 * whose `addEventListener` is no function, a polyfill whose `aborted` getter or `removeEventListener`
 * throws), or options that are no object. Before: the bad call's waiter was kept although its
 * promise had rejected with a raw TypeError, and when the link became ready, settling it threw
 * out of the link's snapshot observer (an uncaught exception) and every other `ready()` waiting on
 * the link never settled (a plain `await link.ready()` hung). Now the call is refused at once
 * (LV_ERR_INVALID_OPTION naming `signal` or `options`), a signal that throws later is contained,
 * the other waiters settle, and nothing escapes or is left. Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { LinkvisorError } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { useStrayErrors } from '../helpers/stray-errors.js';
import { sleep } from '../helpers/wait.js';

/** Bounded: a `ready()` that never settles fails the test instead of hanging it. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'hung'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

const NOT_SIGNALS: [string, () => unknown][] = [
  ['{}', () => ({})],
  ['5', () => 5],
  ['a string', () => 'abort'],
  // Without removeEventListener it is taken, as fetch takes it (./ready-signal-review.test.ts).
  ['an object whose addEventListener is no function', () => ({ aborted: false, addEventListener: 5 })],
  ['a function', () => () => {}],
];

/** Signals of the right shape whose own code throws (a broken polyfill): contained. */
const THROWING_SIGNALS: [string, () => unknown][] = [
  [
    'an aborted getter that throws',
    () => ({
      get aborted(): boolean {
        throw new Error('aborted getter');
      },
      addEventListener() {},
      removeEventListener() {},
    }),
  ],
  [
    'an addEventListener that throws',
    () => ({
      aborted: false,
      addEventListener() {
        throw new Error('add');
      },
      removeEventListener() {},
    }),
  ],
  [
    'a removeEventListener that throws',
    () => ({
      aborted: false,
      addEventListener() {},
      removeEventListener() {
        throw new Error('remove');
      },
    }),
  ],
];

describe('link.ready() with a hostile signal or options', () => {
  const h = useHarness();
  const stray = useStrayErrors({ exceptions: true });

  async function connecting() {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const link = supervisor.connect(server.url);
    const actorErrors: unknown[] = [];
    link.actor.subscribe({ error: (error) => actorErrors.push(error) });
    return { supervisor, link, actorErrors };
  }

  it.each(NOT_SIGNALS)('signal %s: refused at once naming signal; other waiters settle', async (_, make) => {
    const { supervisor, link, actorErrors } = await connecting();
    let refused: LinkvisorError | undefined;
    try {
      void link.ready({ signal: make() as AbortSignal }).catch(() => {});
    } catch (error) {
      refused = error as LinkvisorError;
    }
    expect(refused).toMatchObject({ code: 'LV_ERR_INVALID_OPTION', option: 'signal' });
    expect(await within(link.ready(), 5_000)).toBeUndefined();
    // Also once ready: the check does not depend on the state.
    expect(() => link.ready({ signal: make() as AbortSignal })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'signal' }),
    );
    await supervisor.close();
    await sleep(20);
    expect(actorErrors).toEqual([]);
    expect(stray).toEqual([]);
  });

  it.each([
    ['null', null],
    ['5', 5],
    ['a string', 'x'],
  ])('options %s: refused at once naming options', async (_, options) => {
    const { supervisor, link } = await connecting();
    expect(() => link.ready(options as never)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'options' }),
    );
    expect(await within(link.ready(), 5_000)).toBeUndefined();
    await supervisor.close();
    expect(stray).toEqual([]);
  });

  it.each(THROWING_SIGNALS)(
    'signal with %s: that call settles, the others resolve, nothing escapes',
    async (_, make) => {
      const { supervisor, link, actorErrors } = await connecting();
      const hostile = link.ready({ signal: make() as AbortSignal }).then(
        () => 'resolved',
        (error: LinkvisorError) => error.code,
      );
      const plain = link.ready();
      expect(await within(plain, 5_000)).toBeUndefined();
      expect(['resolved', 'LV_ERR_INVALID_OPTION']).toContain(await within(hostile, 5_000));
      expect(link.state).toBe('ready');
      await supervisor.close();
      await sleep(20);
      expect(actorErrors).toEqual([]);
      expect(stray).toEqual([]);
    },
  );

  it('a waiter with a throwing removeEventListener does not keep the link from ending: the others reject closed', async () => {
    const { supervisor, link } = await connecting();
    const signal = THROWING_SIGNALS[2]![1]() as AbortSignal;
    const hostile = link.ready({ signal }).then(
      () => 'resolved',
      (error: LinkvisorError) => error.code,
    );
    const plain = link.ready().then(
      () => 'resolved',
      (error: LinkvisorError) => error.code,
    );
    void link.close();
    expect(await within(plain, 5_000)).toBe('LV_ERR_LINK_CLOSED');
    expect(await within(hostile, 5_000)).toBe('LV_ERR_LINK_CLOSED');
    expect(await within(link.ended(), 5_000)).toBeUndefined();
    await supervisor.close();
    await sleep(20);
    expect(stray).toEqual([]);
  });
});
