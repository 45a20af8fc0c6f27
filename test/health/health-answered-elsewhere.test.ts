/**
 * A health listener whose response another listener of the same server (or the application
 * around it) answers first, while it waits for the status or for `authorize()`: it writes nothing
 * more and throws nothing. Before, its writeHead() threw ERR_HTTP_HEADERS_SENT inside a promise
 * nobody handled: an unhandled rejection (one that ends a Node process by default). Real `http`
 * server on 127.0.0.1.
 */
import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { healthHandler, type LinkvisorError } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { useStrayErrors } from '../helpers/stray-errors.js';
import { request, serveHttp } from './serve-http.js';

describe('a health response answered by someone else first', () => {
  const h = useHarness();
  const unhandled = useStrayErrors();

  for (const showDetails of ['never', 'whenAuthorized'] as const) {
    it(`showDetails '${showDetails}': the other answer stands, nothing thrown or unhandled`, async () => {
      const supervisor = h.supervisor(FAST);
      supervisor.watch({ name: 'db', probe: () => true });
      const errors: LinkvisorError[] = [];
      supervisor.on('error', (error) => errors.push(error));
      const health = healthHandler(
        supervisor,
        showDetails === 'never' ? {} : { showDetails, authorize: async () => true },
      );
      const port = await serveHttp(h, (req: http.IncomingMessage, res: http.ServerResponse) => {
        health(req, res);
        // The application answers it itself, before the health listener does.
        res.writeHead(418).end('teapot');
      });
      const reply = await request(port);
      expect(reply).toMatchObject({ status: 418, body: 'teapot' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      expect(errors).toEqual([]);
    });
  }
});
