/**
 * The charts an inspector has seen, one key per structure: every watcher provides its own copy of
 * one machine, and all copies share the chart the page draws. Each chart's labels of XState event
 * types (`done probe`, `after linger`) name the events of its timeline records.
 */
import type { AnyStateMachine } from 'xstate';
import { type ChartModel, describeChart } from '../../machines/chart-model.js';

/** The charts seen so far, by key, with the labels of their events. */
export interface ChartRegistry {
  /** The key of a machine's chart; a chart first seen is kept and given to `onNew`. */
  keyOf(machine: AnyStateMachine): string;
  /** The label the chart `key` shows for an XState event type, or undefined. */
  labelOf(key: string, eventType: string): string | undefined;
  /** Every chart, in the order first seen. */
  list(): { key: string; model: ChartModel }[];
}

/** Creates an empty registry; `onNew` hears of each chart when first seen. */
export function createChartRegistry(onNew: (key: string, model: ChartModel) => void): ChartRegistry {
  const chartKeys = new WeakMap<AnyStateMachine, string>();
  const charts = new Map<string, ChartModel>();
  /** Per chart: XState event type → the label the chart shows. */
  const eventLabels = new Map<string, Map<string, string>>();
  return {
    keyOf(machine) {
      const known = chartKeys.get(machine);
      if (known) return known;
      const model = describeChart(machine);
      // Same structure, same chart: every watcher provides its own copy of one machine.
      const signature = JSON.stringify(model);
      let key = [...charts.entries()].find(([, m]) => JSON.stringify(m) === signature)?.[0];
      if (!key) {
        key = charts.has(model.id) ? `${model.id}#${charts.size + 1}` : model.id;
        charts.set(key, model);
        eventLabels.set(
          key,
          new Map(model.transitions.filter((t) => t.eventType).map((t) => [t.eventType, t.event])),
        );
        onNew(key, model);
      }
      chartKeys.set(machine, key);
      return key;
    },
    labelOf: (key, eventType) => eventLabels.get(key)?.get(eventType),
    list: () => [...charts.entries()].map(([key, model]) => ({ key, model })),
  };
}
