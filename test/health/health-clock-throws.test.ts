/**
 * A health handler whose supervisor's `clock` throws from `setTimeout` or `clearTimeout` (the timer
 * that bounds `authorize()`): the request is answered, the throw is reported once as LV_ERR_LISTENER
 * naming `clock` (from then on every request gets the summary, authorize() not asked), never as "authorize() threw", and nothing reaches
 * `unhandledRejection` or `uncaughtException`. Before, a throwing `setTimeout` was reported as
 * `authorize()` having thrown (authorize never called), and a throwing `clearTimeout` threw inside
 * a promise nobody handled and inside the response's `close` event (both end a Node process by
 * default). Real `http` server on 127.0.0.1.
 */
import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { healthHandler, type LinkvisorError } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { useStrayErrors } from '../helpers/stray-errors.js';
import { request, serveHttp } from './serve-http.js';

describe("a health handler whose clock's timer throws", () => {
  const h = useHarness();
  const stray = useStrayErrors({ exceptions: true });

  for (const which of ['setTimeout', 'clearTimeout'] as const) {
    it(`${which} throws: the summary is answered, LV_ERR_LISTENER names clock, nothing stray`, async () => {
      const mine = new Error(`my ${which}`);
      // The timers are real (and cleared: nothing left), only the one method throws.
      const clock = {
        now: () => Date.now(),
        setTimeout: (fn: () => void, ms: number) => {
          if (which === 'setTimeout') throw mine;
          return setTimeout(fn, ms);
        },
        clearTimeout: (id: unknown) => {
          clearTimeout(id as ReturnType<typeof setTimeout>);
          if (which === 'clearTimeout') throw mine;
        },
      };
      const supervisor = h.supervisor({ ...FAST, clock });
      const errors: LinkvisorError[] = [];
      supervisor.on('error', (error) => errors.push(error));
      let asked = 0;
      const health = healthHandler(supervisor, {
        showDetails: 'whenAuthorized',
        authorize: () => {
          asked++;
          return true;
        },
      });
      const port = await serveHttp(h, (req: http.IncomingMessage, res: http.ServerResponse) =>
        health(req, res),
      );
      const reply = await request(port);
      expect(reply.status).toBe(503);
      const deadline = Date.now() + 2_000;
      while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 30));
      expect(stray).toEqual([]);
      // The cause is a redacted copy of the clock's error (docs/errors.md "What `cause` is").
      const causes = errors.map((e) => [
        e.code,
        e.option,
        (e.cause as Error).name,
        (e.cause as Error).message,
      ]);
      expect(causes).toEqual([['LV_ERR_LISTENER', 'clock', 'Error', mine.message]]);
      // A clock that could set its timer bounds authorize(), which is asked and says yes.
      expect(asked).toBe(which === 'setTimeout' ? 0 : 1);
      const detailedBody = (body: string) => Array.isArray(JSON.parse(body).links);
      expect(detailedBody(reply.body)).toBe(which === 'clearTimeout');
      // From then on the clock is not trusted: the summary, authorize() not asked, nothing more.
      const again = await request(port);
      expect(again.status).toBe(503);
      expect(detailedBody(again.body)).toBe(false);
      expect(asked).toBe(which === 'setTimeout' ? 0 : 1);
      await new Promise((r) => setTimeout(r, 30));
      expect(errors).toHaveLength(1);
      expect(stray).toEqual([]);
    });
  }
});
