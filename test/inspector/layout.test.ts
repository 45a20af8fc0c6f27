/**
 * The charts, read from the machine definitions and laid out with elkjs: every state is placed
 * inside its parent, every transition between two states is an arrow with a label, delayed ones
 * carry their named delay.
 */
import { describe, expect, it } from 'vitest';
import { chartStates, describeChart } from '../../machines/chart-model.js';
import { connectionMachine } from '../../machines/connection.machine.js';
import { socketMachine } from '../../machines/socket.machine.js';
import { watcherMachine } from '../../machines/watcher.machine.js';
import { layoutChart } from '../../src/inspector/layout-chart.js';

describe('chart model and layout', () => {
  it('reads delays by name, guards as text, and invoke done/error by their actor', () => {
    const model = describeChart(connectionMachine);
    const after = model.transitions.filter((t) => t.kind === 'after').map((t) => t.delay);
    expect(after).toEqual(
      expect.arrayContaining(['connectTimeout', 'handshakeTimeout', 'reconnectDelay', 'closeTimeout']),
    );
    expect(model.transitions.some((t) => t.guard === '!shouldRetry' && t.kind === 'always')).toBe(true);
    expect(model.transitions.some((t) => t.guard === 'autoConnect && isInProcess')).toBe(true);
    const watcher = describeChart(watcherMachine);
    expect(watcher.transitions.some((t) => t.event === 'done probe')).toBe(true);
    expect(watcher.transitions.some((t) => t.event === 'error probe')).toBe(true);
  });

  for (const machine of [connectionMachine, socketMachine, watcherMachine]) {
    it(`lays out the ${machine.id} chart: states inside their parents, an arrow per pair of states`, async () => {
      const model = describeChart(machine);
      const chart = await layoutChart(machine.id, model);
      const byPath = new Map(chart.states.map((s) => [s.path, s]));
      for (const state of chartStates(model).filter((s) => s.path !== '')) {
        const placed = byPath.get(state.path);
        expect(placed, state.path).toBeDefined();
        if (!placed) continue;
        expect(placed.width).toBeGreaterThan(0);
        const parentPath = state.path.includes('.') ? state.path.slice(0, state.path.lastIndexOf('.')) : '';
        const parent = byPath.get(parentPath);
        const box = parent ?? { x: 0, y: 0, width: chart.width, height: chart.height };
        expect(placed.x).toBeGreaterThanOrEqual(box.x);
        expect(placed.y).toBeGreaterThanOrEqual(box.y);
        expect(placed.x + placed.width).toBeLessThanOrEqual(box.x + box.width + 0.5);
        expect(placed.y + placed.height).toBeLessThanOrEqual(box.y + box.height + 0.5);
      }
      const drawn = chart.edges.filter((e) => e.kind !== 'initial');
      const lines = drawn.flatMap((e) => e.lines.map((l) => l.text));
      for (const t of model.transitions.filter((t) => t.targets.length > 0)) {
        expect(
          lines.some((l) => l.startsWith(t.event)),
          t.event,
        ).toBe(true);
      }
      for (const edge of chart.edges) expect(edge.points.length).toBeGreaterThanOrEqual(2);
    });
  }
});
