/**
 * `toMermaid`: what it writes for each feature of a chart (a grace state's copies of its sibling's
 * transitions as a line under its name), and the diagrams of the connection,
 * socket and watcher charts in the README and docs/ (after a `<!-- mermaid:NAME -->` marker), which must be
 * exactly what it writes for the charts today (run `npx tsx scripts/inspector-readme.ts` to
 * refresh them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { connectionMachine } from '../../machines/connection.machine.js';
import { socketMachine } from '../../machines/socket.machine.js';
import { toMermaid } from '../../machines/to-mermaid.js';
import { watcherMachine } from '../../machines/watcher.machine.js';
import {
  diagramFiles,
  markedDiagrams,
  README_DIAGRAMS,
  readmeDiagram,
  refreshReadme,
} from '../../scripts/inspector-readme.js';

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

  it("notes a grace state's copies of its sibling's transitions instead of drawing them again", () => {
    const machine = createMachine({
      id: 'demo',
      initial: 'waiting',
      states: {
        waiting: { after: { patience: 'grace' }, on: { answer: 'done', cancel: 'done' } },
        grace: {
          meta: { graceFor: 'waiting' },
          after: { turn: 'done' },
          on: { answer: 'done', cancel: { target: 'done', actions: 'other' } },
        },
        // A compound grace state has no line for the note: its copies stay edges.
        held: { on: { go: 'done' }, after: { patience: 'late' } },
        late: {
          meta: { graceFor: 'held' },
          initial: 'inner',
          on: { go: 'done' },
          states: { inner: {} },
        },
        done: { type: 'final' },
      },
    });
    const text = toMermaid(machine);
    expect(text).toContain('  grace : grace\n  grace : also as waiting on answer\n');
    expect(text).not.toContain('grace --> done: answer');
    expect(text).toContain('grace --> done: cancel'); // another action: its own
    expect(text).toContain('grace --> done: after turn');
    expect(text).toContain('waiting --> done: answer');
    expect(text).toContain('late --> done: go');
    expect(text).not.toContain('also as held');
  });

  it('gives repeated state names unique ids', () => {
    const text = toMermaid(watcherMachine);
    expect(text).toContain('state "probing" as ready_probing');
    expect(text).toContain('state "probing" as down_probing');
    expect(text).toContain('ready_idle --> ready_probing: after pollInterval');
  });

  it('is what the README shows for the connection chart, and docs/ for the socket and watcher charts', () => {
    const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
    const readme = read('README.md');
    const shown = readmeDiagram(readme, 'connection');
    expect(shown, 'README has a mermaid diagram marked <!-- mermaid:connection -->').not.toBeNull();
    expect(shown, "README's connection diagram is out of date: run npx tsx scripts/inspector-readme.ts").toBe(
      toMermaid(connectionMachine),
    );
    const socketPages = diagramFiles().filter((file) => markedDiagrams(read(file)).includes('socket'));
    expect(socketPages, 'a page shows the socket chart').not.toEqual([]);
    expect(readmeDiagram(read(socketPages[0] as string), 'socket')).toBe(toMermaid(socketMachine));
    const watcherPages = diagramFiles().filter((file) => markedDiagrams(read(file)).includes('watcher'));
    expect(watcherPages, 'a page shows the watcher chart').not.toEqual([]);
    expect(readmeDiagram(read(watcherPages[0] as string), 'watcher')).toBe(toMermaid(watcherMachine));
  });

  it('every marked diagram in README.md and docs/*.md is current, and names a known chart', () => {
    for (const file of diagramFiles()) {
      const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      for (const name of markedDiagrams(text)) {
        expect(Object.keys(README_DIAGRAMS), `${file}: <!-- mermaid:${name} --> names a chart`).toContain(
          name,
        );
      }
      expect(
        refreshReadme(text) === text,
        `${file} has a diagram out of date: run npx tsx scripts/inspector-readme.ts`,
      ).toBe(true);
    }
  });

  it('refreshes every marked copy of a diagram, not only the first', () => {
    const stale = '<!-- mermaid:socket -->\n```mermaid\nold\n```\n';
    const refreshed = refreshReadme(`${stale}text\n${stale}`);
    expect(refreshed).not.toContain('old');
    expect(refreshed.split(toMermaid(socketMachine)).length).toBe(3);
  });
});
