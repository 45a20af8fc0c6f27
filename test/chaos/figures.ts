/**
 * Figures of the chaos scenarios: each test records what it measured (and the bound it held it
 * to, if any); the global setup prints them all as one table when the run ends.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    chaosFiguresDir: string;
  }
}

export const FIGURES_FILE = 'figures.jsonl';

export interface Figure {
  scenario: string;
  name: string;
  value: string;
  bound: string;
}

function show(value: number | string): string {
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** Records one figure of `scenario`. `bound`: the invariant it was checked against, if any. */
export function figure(scenario: string, name: string, value: number | string, bound = ''): void {
  const dir = inject('chaosFiguresDir');
  const line: Figure = { scenario, name, value: show(value), bound };
  appendFileSync(path.join(dir, FIGURES_FILE), `${JSON.stringify(line)}\n`);
}

/** A plain-text table, one row per figure, the scenario named once per group. */
export function formatFigures(figures: Figure[]): string {
  const header: Figure = { scenario: 'scenario', name: 'figure', value: 'value', bound: 'bound' };
  const rows = [header, ...figures];
  const width = (key: keyof Figure) => Math.max(...rows.map((r) => r[key].length));
  const w = {
    scenario: width('scenario'),
    name: width('name'),
    value: width('value'),
    bound: width('bound'),
  };
  const line = (r: Figure, scenario: string) =>
    `| ${scenario.padEnd(w.scenario)} | ${r.name.padEnd(w.name)} | ${r.value.padStart(w.value)} | ${r.bound.padEnd(w.bound)} |`;
  const rule = `|${'-'.repeat(w.scenario + 2)}|${'-'.repeat(w.name + 2)}|${'-'.repeat(w.value + 1)}:|${'-'.repeat(w.bound + 2)}|`;
  const out = [
    'chaos figures (measured in this run; bound = the invariant asserted)',
    '',
    line(header, header.scenario),
    rule,
  ];
  let previous = '';
  for (const f of figures) {
    out.push(line(f, f.scenario === previous ? '' : f.scenario));
    previous = f.scenario;
  }
  return out.join('\n');
}
