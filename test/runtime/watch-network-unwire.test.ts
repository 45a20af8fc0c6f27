/**
 * A transport's `watchNetwork()` whose listeners the supervisor cannot take back at close: one that
 * returned no unwiring function, or an unwiring that throws. Both were ignored silently, and the
 * callback the transport kept (in a page's `online` / `visibilitychange` listeners) held the closed
 * supervisor, its links and its socket actor for the page's life. Now each is reported
 * (LV_ERR_LISTENER on the supervisor's `error` event, the throw as `cause`) and the callback lets go
 * of the supervisor at close: checked with a WeakRef after a full GC.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { LinkvisorError, NetworkSignal, Supervisor, Transport } from '../../src/index.js';
import { createSupervisor } from '../../src/index.js';
import { wsTransport } from '../../src/transports/ws-transport.js';
import { waitFor } from '../helpers/wait.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** The callback a transport was given, kept as a page's listener keeps it. */
const kept: ((kind: NetworkSignal) => void)[] = [];

/** A supervisor on a transport whose watchNetwork() returns `unwire`, closed; its errors, and a
 * WeakRef to it (made in a function of its own: no local of the test holds it). */
async function closedSupervisor(
  unwire: unknown,
): Promise<{ ref: WeakRef<Supervisor>; errors: Pick<LinkvisorError, 'code' | 'message'>[] }> {
  const transport: Transport = {
    ...wsTransport,
    watchNetwork(raise) {
      kept.push(raise);
      return unwire as () => void;
    },
  };
  // Code and message only: an error's stack trace not yet formatted holds its frames' receivers.
  const errors: Pick<LinkvisorError, 'code' | 'message'>[] = [];
  const supervisor = createSupervisor({ transport });
  supervisor.on('error', ({ code, message }) => errors.push({ code, message }));
  await supervisor.close();
  return { ref: new WeakRef(supervisor), errors };
}

/** Whether `ref` is collected by a full GC within COLLECT_WITHIN_MS (by the clock: what still
 * held it, a socket closing a loop phase later, may take long on a busy host; was 20 polls). */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  const by = performance.now() + COLLECT_WITHIN_MS;
  while (ref.deref() && performance.now() < by) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    gc();
  }
  return ref.deref() === undefined;
}

/** Hang guard of collected(), ms. */
const COLLECT_WITHIN_MS = 10_000;

describe("a transport's network events it cannot unwire", () => {
  for (const [label, unwire, message] of [
    ['watchNetwork() returned no function', undefined, /watchNetwork\(\) gave no unwiring/],
    [
      'its unwiring threw at close',
      () => {
        throw new Error('cannot unwire');
      },
      /unwiring threw/,
    ],
  ] as const) {
    it(`${label}: reported, and the callback it keeps holds no closed supervisor`, async () => {
      const { ref, errors } = await closedSupervisor(unwire);
      await waitFor(() => errors.length > 0, { message: 'the error event' });
      expect(errors.map((e) => e.code)).toEqual(['LV_ERR_LISTENER']);
      expect(errors[0]?.message).toMatch(message);
      // A page event after close: nothing thrown, nothing reported.
      for (const raise of kept) expect(() => raise('offline')).not.toThrow();
      expect(await collected(ref)).toBe(true);
      expect(errors).toHaveLength(1);
    });
  }
});
