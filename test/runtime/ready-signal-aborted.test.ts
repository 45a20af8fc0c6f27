/**
 * `link.ready({ signal })` with a signal that is aborted already (i27follow): `fetch`,
 * `addEventListener` and Node's `events.once` look at the signal before anything else and reject
 * at once with its reason. Before, a link that was ready resolved such a call (and an ended one
 * rejected it closed); now every such call rejects LV_ERR_ABORTED whatever the link's state, and
 * every LV_ERR_ABORTED (at the call or later) carries the signal's `reason` as its `cause`. No
 * abort listener is left on the signal. Real `ws` server on loopback.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { settled } from '../helpers/settled.js';
import { useStrayErrors } from '../helpers/stray-errors.js';

describe('link.ready({ signal }) with a signal aborted already', () => {
  const h = useHarness();
  const stray = useStrayErrors({ exceptions: true });

  async function start(autoConnect = true) {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false, autoConnect });
    const link = supervisor.connect(server.url);
    return { supervisor, link };
  }

  const STATES: [string, (link: Link) => Promise<void>][] = [
    ['ready', (link) => link.ready()],
    ['idle (not connected yet)', async () => {}],
    ['closed', (link) => link.close()],
  ];

  it.each(STATES)('a link %s: rejects LV_ERR_ABORTED at once, the reason as cause', async (name, reach) => {
    const { supervisor, link } = await start(name !== 'idle (not connected yet)');
    await reach(link);
    const reason = new Error('gave up');
    const signal = AbortSignal.abort(reason);
    expect(await settled(link.ready({ signal }))).toEqual({ outcome: 'LV_ERR_ABORTED', cause: reason });
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    // Without a signal, or with one still live, the call is what it was.
    const live = new AbortController().signal;
    const expected = name === 'closed' ? 'LV_ERR_LINK_CLOSED' : name === 'ready' ? 'resolved' : null;
    if (expected) expect((await settled(link.ready({ signal: live }))).outcome).toBe(expected);
    await supervisor.close();
    expect(stray).toEqual([]);
  });

  it("AbortSignal.abort() without a reason: the cause is the signal's AbortError", async () => {
    const { supervisor, link } = await start();
    await link.ready();
    const signal = AbortSignal.abort();
    const { outcome, cause } = await settled(link.ready({ signal }));
    expect(outcome).toBe('LV_ERR_ABORTED');
    expect(cause).toBe(signal.reason);
    expect((cause as DOMException).name).toBe('AbortError');
    await supervisor.close();
  });

  it('a signal aborted while the call waits: LV_ERR_ABORTED carries its reason too', async () => {
    const { supervisor, link } = await start(false);
    const controller = new AbortController();
    const waiting = settled(link.ready({ signal: controller.signal }));
    controller.abort('timed out');
    expect(await waiting).toEqual({ outcome: 'LV_ERR_ABORTED', cause: 'timed out' });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    await supervisor.close();
  });

  it('a polyfill whose aborted getter throws, on a ready link: refused naming signal (it resolved)', async () => {
    const { supervisor, link } = await start();
    await link.ready();
    const signal = {
      get aborted(): boolean {
        throw new Error('aborted getter');
      },
      addEventListener() {},
      removeEventListener() {},
    };
    expect((await settled(link.ready({ signal: signal as never }))).outcome).toBe(
      'LV_ERR_INVALID_OPTION signal',
    );
    // A reason getter that throws: aborted all the same, with no cause.
    const noReason = {
      aborted: true,
      get reason(): never {
        throw new Error('reason getter');
      },
      addEventListener() {},
    };
    expect(await settled(link.ready({ signal: noReason as never }))).toEqual({
      outcome: 'LV_ERR_ABORTED',
      cause: undefined,
    });
    await supervisor.close();
    expect(stray).toEqual([]);
  });
});
