/**
 * An observer given to `supervisor.observe()` that throws is reported, as an `inspect` observer's
 * throw is (LV_ERR_LISTENER on the supervisor's `error` event, `option: 'observer'`, the throw as
 * its `cause`), and every actor carries on. It was handed to XState raw: its throw escaped the
 * actor's step as an uncaught exception, and the step was lost — a link booked after it never
 * started (`idle` for good, its `ready()` never settled), a ready link whose socket dropped stayed
 * `ready` on the dead socket, and `supervisor.close()` never resolved. Real ws server on 127.0.0.1
 * port 0; the harness checks that nothing is left open.
 */
import { describe, expect, it } from 'vitest';
import type { LinkvisorError } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const boom = new Error('observer boom');

/** `promise`, or a rejection after `ms` (before the fix these never settled: no hang here). */
function within<T>(promise: Promise<T>, what: string, ms = 5_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}
const throwing = () => {
  throw boom;
};

describe('supervisor.observe() with an observer that throws', () => {
  const h = useHarness();

  for (const [kind, observer] of [
    ['a function', throwing],
    ['an object whose next() throws', { next: throwing }],
  ] as const) {
    it(`${kind}, observing before connect(): the link starts and is ready; each throw is reported`, async () => {
      const server = await h.wsServer();
      const supervisor = h.supervisor(FAST);
      const errors: LinkvisorError[] = [];
      supervisor.on('error', (error) => errors.push(error));
      const subscription = supervisor.observe(observer);
      const link = supervisor.connect(server.url);
      await within(link.ready(), 'ready()');
      link.send('still works');
      await waitFor(() => errors.length > 0, { message: 'the throw reported' });
      expect(errors[0]).toMatchObject({ code: 'LV_ERR_LISTENER', option: 'observer', cause: boom });
      subscription.unsubscribe();
      await within(supervisor.close(), 'supervisor.close()');
      expect(link.state).toBe('closed');
    });
  }

  it('observing a ready link: its socket drops, it reconnects; close() resolves', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (error) => errors.push(error));
    const link = supervisor.connect(server.url);
    await within(link.ready(), 'ready()');
    supervisor.observe(throwing);
    for (const client of server.clients) client.terminate();
    await waitFor(() => link.status().readyCount === 2, { message: 'the link reconnected' });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((error) => error.code === 'LV_ERR_LISTENER' && error.option === 'observer')).toBe(
      true,
    );
    await within(supervisor.close(), 'supervisor.close()');
    expect(link.state).toBe('closed');
  });
});
