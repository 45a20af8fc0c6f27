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

/** Charts laid out in this process, by key and model, for the next server (a worker starts cold:
 * a chart laid out again took 2–3 s at load 15, where elkjs warm on one thread took 0.2–0.6 s).
 * Only layouts that succeeded; at most this many, the oldest dropped first. */
const DONE_MAX = 32;
const done = new Map<string, LaidOutChart>();

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
      const id = `${key}\n${JSON.stringify(model)}`;
      const known = done.get(id);
      pending = known
        ? Promise.resolve(known)
        : layoutChart(key, model, worker.layout).then(
            (chart) => {
              if (done.size >= DONE_MAX) done.delete(done.keys().next().value as string);
              done.set(id, chart);
              return chart;
            },
            (error: unknown) => {
              if (!stopped) warn(`linkvisor inspector: could not lay out chart ${key}: ${String(error)}`);
              return null;
            },
          );
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
