/**
 * The charts as the page draws them, each laid out once, when a page first needs it (elkjs takes
 * from a few hundred ms to seconds for the connection chart, on the thread of the application), then
 * shared by every page: a chart that cannot be laid out is warned about once and left out (null),
 * never thrown at a page.
 */
import { layoutChart } from './layout-chart.js';
import type { LaidOutChart } from './protocol.js';

/** Lays out a chart on first asking, by key; later asks get the same promise. */
export type ChartLayouts = (
  key: string,
  model: Parameters<typeof layoutChart>[1],
) => Promise<LaidOutChart | null>;

/** The layouts of one inspector server; `warn` hears of a chart that could not be laid out. */
export function createChartLayouts(warn: (message: string) => void): ChartLayouts {
  const layouts = new Map<string, Promise<LaidOutChart | null>>();
  return (key, model) => {
    let pending = layouts.get(key);
    if (!pending) {
      pending = layoutChart(key, model).catch((error: unknown) => {
        warn(`linkvisor inspector: could not lay out chart ${key}: ${String(error)}`);
        return null;
      });
      layouts.set(key, pending);
    }
    return pending;
  };
}
