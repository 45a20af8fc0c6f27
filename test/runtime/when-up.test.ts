/**
 * `supervisor.whenUp()` called while no link is ready waits for `up`, and rejects if the
 * supervisor closes first. Once settled, nothing of the call is kept: it used to leave a reaction
 * on the supervisor's end (to reject on close) holding the call's promise until close(), so an
 * application that awaited whenUp() per request during an outage kept every one of them for the
 * supervisor's life. Checked with WeakRefs after a full GC. Real ws server on 127.0.0.1 port 0.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { LinkvisorError } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('supervisor.whenUp()', () => {
  const h = useHarness();

  it('keeps nothing of a call once it has resolved', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    supervisor.connect(server.url);
    // Made and awaited in a function of their own: nothing of this test's scope holds them after.
    const refs: WeakRef<Promise<void>>[] = [];
    const waitForUp = async () => {
      const waits = Array.from({ length: 100 }, () => supervisor.whenUp());
      for (const wait of waits) refs.push(new WeakRef(wait));
      await Promise.all(waits);
    };
    await waitForUp();
    await waitFor(
      () => {
        gc();
        return refs.every((ref) => ref.deref() === undefined);
      },
      { message: 'every settled whenUp() promise collected' },
    );
  });

  it('rejects with LV_ERR_SUPERVISOR_CLOSED when the supervisor closes first, and at once after', async () => {
    const refused = await h.keptPort();
    const supervisor = h.supervisor(FAST);
    supervisor.connect(refused.url());
    const waiting = supervisor.whenUp();
    const closing = supervisor.close();
    await expect(waiting).rejects.toThrow(LinkvisorError);
    await expect(waiting).rejects.toMatchObject({ code: 'LV_ERR_SUPERVISOR_CLOSED' });
    await closing;
    await expect(supervisor.whenUp()).rejects.toMatchObject({ code: 'LV_ERR_SUPERVISOR_CLOSED' });
  });
});
