/**
 * The charts as the page draws them, each laid out once, when a page first needs it, then shared
 * by every page. elkjs runs in a worker thread (./layout-worker.ts: from a few hundred ms to
 * seconds for the connection chart, which on the application's thread would stall its links),
 * started on the first layout and ended by `stop()`. A chart that cannot be laid out (elkjs's
 * error, a crashed or killed worker) is warned about once and left out (null), never thrown at a
 * page; layouts cut short by `stop()` are left out without a warning.
 */
import { layoutChart } from './layout-chart.js';
import { createLayoutWorker, type LayoutWorker } from './layout-worker.js';
import type { LaidOutChart } from './protocol.js';

/** Lays out a chart on first asking, by key; later asks get the same promise. */
export interface ChartLayouts {
  (key: string, model: Parameters<typeof layoutChart>[1]): Promise<LaidOutChart | null>;
  /** Ends the layout worker; charts asked for afterwards are null. */
  stop(): Promise<void>;
}

/** The layouts of one inspector server; `warn` hears of a chart that could not be laid out. */
export function createChartLayouts(
  warn: (message: string) => void,
  worker: LayoutWorker = createLayoutWorker(),
): ChartLayouts {
  const layouts = new Map<string, Promise<LaidOutChart | null>>();
  let stopped = false;
  const layout = (key: string, model: Parameters<typeof layoutChart>[1]) => {
    let pending = layouts.get(key);
    if (!pending) {
      pending = layoutChart(key, model, worker.layout).catch((error: unknown) => {
        if (!stopped) warn(`linkvisor inspector: could not lay out chart ${key}: ${String(error)}`);
        return null;
      });
      layouts.set(key, pending);
    }
    return pending;
  };
  return Object.assign(layout, {
    stop() {
      stopped = true;
      return worker.stop();
    },
  });
}
