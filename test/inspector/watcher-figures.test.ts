/**
 * A watcher's panel tells how far its counts are from its thresholds: `failures 1 / 2` while a
 * ready watcher tolerates a failure, `successes 1 / 10` while a down one counts its way back up,
 * and no successes chip while it is ready (its successes count on there and mean nothing). The
 * chips as data (src/inspector/page/figure-chips.ts), then the figures a real page receives from a
 * real watcher through the inspector server.
 */
import { describe, expect, it } from 'vitest';
import { createInspector, startInspector } from '../../src/inspector/index.js';
import { figureChips } from '../../src/inspector/page/figure-chips.js';
import type { Figures } from '../../src/inspector/protocol.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { connectPage } from './page-client.js';

const h = useHarness();

const chipsOf = (figures: Figures) => Object.fromEntries(figureChips(figures).map((c) => [c.label, c.value]));

describe("a watcher's figures against its thresholds", () => {
  it('reads counts as n / threshold when the threshold is above 1, as n otherwise', () => {
    expect(chipsOf({ probes: 4, failures: 1, failuresBeforeDown: 2 })).toEqual({
      probes: '4',
      failures: '1 / 2',
    });
    expect(chipsOf({ failures: 3, failuresBeforeDown: 1 })).toEqual({ failures: '3' });
    expect(chipsOf({ successes: 2, successesBeforeUp: 3 })).toEqual({ successes: '2 / 3' });
    expect(chipsOf({ successes: 0, successesBeforeUp: 3, failures: 0 })).toEqual({});
    expect(figureChips({ failures: 1 }).find((c) => c.label === 'failures')?.tone).toBe('warn');
  });

  it('a real page sees failures / failuresBeforeDown while ready, successes / successesBeforeUp only while down', async () => {
    let healthy = true;
    const inspector = createInspector();
    const supervisor = h.supervisor({ ...FAST, inspect: inspector.inspect });
    supervisor.watch({
      name: 'db',
      probe: () => {
        if (!healthy) throw new Error('refused');
      },
      pollIntervalMs: 100,
      backoff: { initialDelayMs: 100, maxDelayMs: 100 },
      failuresBeforeDown: 2,
      successesBeforeUp: 10,
    });
    const server = await startInspector(supervisor, { inspector, statusIntervalMs: 20 });
    h.defer(() => server.close());
    const page = await connectPage(server.url);
    h.defer(() => page.close());
    await page.next('hello');
    page.select('watcher:db');
    const figures = async (what: string, where: (f: Figures & { state: string }) => boolean) =>
      (
        await waitFor(
          () =>
            page
              .details()
              .map((d) => d.actor)
              .find((a) => a.id === 'watcher:db' && where({ ...a.figures, state: a.state })),
          { message: what, timeoutMs: 20_000 },
        )
      ).figures;

    const ready = await figures(
      'ready, some probes made',
      (f) => f.state === 'ready' && Number(f.probes) > 2,
    );
    expect(ready.failuresBeforeDown).toBe(2);
    expect(ready).not.toHaveProperty('successes');
    healthy = false;
    const down = await figures('down after two failures', (f) => f.state === 'down');
    expect(down).toMatchObject({ failuresBeforeDown: 2, successes: 0, successesBeforeUp: 10 });
    expect(Number(down.failures)).toBeGreaterThanOrEqual(2);
    healthy = true;
    // Batches coalesce (~10 a second): whichever count the page saw (10 probes 100 ms apart), it reads n / 10.
    const counting = await figures(
      'down, counting successes',
      (f) => f.state === 'down' && Number(f.successes) > 0,
    );
    expect(chipsOf(counting).successes).toBe(`${counting.successes} / 10`);
    await figures('ready again', (f) => f.state === 'ready');
  });
});
