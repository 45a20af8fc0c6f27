/**
 * `supervisor.closed`: true from close() or terminate() on, as `status().closed`, without reading
 * every link (status() is O(links)). recordSession and the inspector's record request, which only
 * ask whether the supervisor is closed, read `closed` and never status(). Real `ws` server on
 * loopback; a real inspector server and page.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Supervisor } from '../../src/index.js';
import { startInspector } from '../../src/inspector/index.js';
import { recordSession } from '../../src/trace/record-session.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { connectPage } from '../inspector/page-client.js';

describe('supervisor.closed', () => {
  const h = useHarness();

  const same = (supervisor: Supervisor, expected: boolean) => {
    expect(supervisor.closed).toBe(expected);
    expect(supervisor.status().closed).toBe(expected);
  };

  it('matches status().closed through close(): open, closing, closed', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    same(supervisor, false);
    await supervisor.connect(server.url).ready();
    same(supervisor, false);
    const closing = supervisor.close();
    same(supervisor, true);
    await closing;
    same(supervisor, true);
    await supervisor.terminate();
    same(supervisor, true);
  });

  it('matches status().closed through terminate(): open, terminating, closed', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    await supervisor.connect(server.url).ready();
    same(supervisor, false);
    const ending = supervisor.terminate();
    same(supervisor, true);
    await ending;
    same(supervisor, true);
  });

  it('is read-only', () => {
    const supervisor = h.supervisor(FAST);
    expect(() => {
      (supervisor as { closed: boolean }).closed = true;
    }).toThrow(TypeError);
    same(supervisor, false);
  });

  it('recordSession reads closed, not status()', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    await supervisor.connect(server.url).ready();
    const status = vi.spyOn(supervisor, 'status');
    recordSession(supervisor).stop();
    const closing = supervisor.close();
    expect(() => recordSession(supervisor)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_SUPERVISOR_CLOSED' }),
    );
    await closing;
    expect(status).not.toHaveBeenCalled();
  });

  it("the inspector's record request reads closed, not status()", async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    await supervisor.connect(server.url).ready();
    // No status poll during the test: only the record request could read status().
    const inspector = await startInspector(supervisor, { statusIntervalMs: 3_600_000 });
    h.defer(() => inspector.close());
    const page = await connectPage(inspector.url);
    h.defer(() => page.close());
    await page.next('hello');
    const status = vi.spyOn(supervisor, 'status');
    const answer = async (on: boolean) => {
      const next = page.next(on ? 'recording' : 'trace');
      page.send({ type: 'record', on });
      return next;
    };
    expect(await answer(true)).toEqual({ type: 'recording', on: true });
    await answer(false);
    await supervisor.close();
    expect(await answer(true)).toEqual({ type: 'recording', on: false });
    expect(status).not.toHaveBeenCalled();
  });
});
