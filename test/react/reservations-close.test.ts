/**
 * A supervisor closed while renders hold reservations (links made by renders that never
 * committed: react-dom/server runs no effect) leaves no timer of linkvisor/react behind: the
 * registry's reservations chart (machines/reservations.machine.ts) is cleared when the supervisor
 * closes, not one to two sweep periods later (RESERVATION_SWEEP_MS).
 *
 * Before: the chart's sweep timer ran on after `close()` resolved (an unref'd Timeout holding the
 * registry, the supervisor and its closed links), until a sweep found the reservations.
 */
import { createElement, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { RESERVATION_SWEEP_MS } from '../../machines/policy/reservations.js';
import { createSupervisor } from '../../src/index.js';
import { LinkvisorProvider, useLink } from '../../src/react/index.js';
import { startWsServer } from '../helpers/servers.js';
import { nextTurn } from '../helpers/wait.js';

let feedUrl = '';
function Feed(): ReactNode {
  useLink(feedUrl);
  return 'feed';
}

describe('linkvisor/react: a closed supervisor leaves no reservations timer', () => {
  it('close() clears the reservations chart of the registry of that supervisor', async () => {
    const server = await startWsServer();
    try {
      const supervisor = createSupervisor();
      feedUrl = `${server.url}/feed`;
      // The chart's timer is unref'd (process.getActiveResourcesInfo() does not list it): the
      // real setTimeout and clearTimeout are watched instead (they still run).
      const set = vi.spyOn(globalThis, 'setTimeout');
      const cleared = vi.spyOn(globalThis, 'clearTimeout');
      try {
        const html = renderToString(createElement(LinkvisorProvider, { supervisor }, createElement(Feed)));
        expect(html).toBe('feed');
        // The reservation's sweep timer: RESERVATION_SWEEP_MS.
        const sweeps = set.mock.results
          .filter((_result, i) => set.mock.calls[i]?.[1] === RESERVATION_SWEEP_MS)
          .map((result) => result.value);
        expect(sweeps).toHaveLength(1);
        await supervisor.close();
        for (let turn = 0; turn < 5; turn++) await nextTurn();
        // Cleared by the close, well before a sweep period: nothing is left of the render.
        expect(cleared.mock.calls.map(([id]) => id)).toContain(sweeps[0]);
        expect(supervisor.list()).toEqual([]);
      } finally {
        set.mockRestore();
        cleared.mockRestore();
      }
    } finally {
      await server.stop();
    }
  });
});
