/**
 * `toMermaid`: what it writes for each feature of a chart, and the README's diagrams of the
 * connection and socket charts, which must be exactly what it writes for the charts today (run
 * `npx tsx scripts/inspector-readme.ts` to refresh them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { connectionMachine } from '../../machines/connection.machine.js';
import { socketMachine } from '../../machines/socket.machine.js';
import { toMermaid } from '../../machines/to-mermaid.js';
import { watcherMachine } from '../../machines/watcher.machine.js';
import { readmeDiagram } from '../../scripts/inspector-readme.js';

describe('toMermaid', () => {
  it('writes nested states, events, named delays, guards, always and final states', () => {
    const machine = createMachine({
      id: 'demo',
      initial: 'off',
      on: { reset: '.off', ping: {} },
      states: {
        off: { on: { flip: { target: 'on', guard: 'allowed' } } },
        on: {
          initial: 'low',
          after: { idleTimeout: 'off' },
          states: {
            low: { on: { up: 'high', noop: {} } },
            high: { always: { target: '#demo.done', guard: 'tooHigh' } },
          },
        },
        done: { type: 'final' },
      },
    });
    expect(toMermaid(machine)).toBe(
      [
        'stateDiagram-v2',
        '  [*] --> off',
        '  state on {',
        '    [*] --> low',
        '    low : low',
        '    low : ↺ noop',
        '    low --> high: up',
        '  }',
        '  on --> off: reset',
        '  off --> on: flip [allowed]',
        '  on --> off: after idleTimeout',
        '  high --> done: always [tooHigh]',
        '  done --> [*]',
        '',
      ].join('\n'),
    );
  });

  it('gives repeated state names unique ids', () => {
    const text = toMermaid(watcherMachine);
    expect(text).toContain('state "probing" as ready_probing');
    expect(text).toContain('state "probing" as down_probing');
    expect(text).toContain('ready_idle --> ready_probing: after pollInterval');
  });

  it('is what the README shows for the connection and socket charts', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [name, machine] of [
      ['connection', connectionMachine],
      ['socket', socketMachine],
    ] as const) {
      const shown = readmeDiagram(readme, name);
      expect(shown, `README has a mermaid diagram marked <!-- mermaid:${name} -->`).not.toBeNull();
      expect(shown, `README's ${name} diagram is out of date: run npx tsx scripts/inspector-readme.ts`).toBe(
        toMermaid(machine),
      );
    }
  });
});
