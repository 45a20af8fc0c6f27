/**
 * The connection chart's features (machines/connection-feature-states.ts: their states and
 * transitions; machines/connection-features.ts: their guards, delays and actions — the application
 * handshake, the resumable session, a group's restart, the network rejoin, an intensity that
 * fails) are in the public `connectionSetup` and `connectionMachine`, which the supervisor,
 * `defineLink`, the model-based tests and the inspector run; the drop-in's chart
 * (`connectionChart`, on the core setup) is the same config with every feature slot empty, so it
 * has none of them and everything else alike. That the drop-in's links can never reach them is
 * checked on real links in test/dropin/chart-features.test.ts.
 */

import { describe, expect, it } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import { guardText } from '../../machines/chart-model.js';
import { connectionChart, connectionMachine, connectionSetup } from '../../machines/connection.machine.js';
import { CHART_FEATURES } from '../../machines/connection-feature-states.js';
import { CONNECTION_FEATURE_ACTIONS } from '../../machines/connection-features.js';
import { connectionCoreSetup } from '../../machines/connection-setup.js';

/** An action's name (a string, a `{ type }`, or a built-in's function). */
const named = (list: readonly unknown[]) =>
  list.map((a) =>
    typeof a === 'string' ? a : ((a as { type?: string }).type ?? (a as { name?: string }).name ?? '?'),
  );

/** Every state node by id, with its transitions as `event → targets [guard] actions`. */
function edges(machine: AnyStateMachine): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (node: AnyStateMachine['root']) => {
    const list: string[] = [];
    for (const [event, transitions] of node.transitions)
      for (const t of transitions)
        list.push(JSON.stringify([event, t.target?.map((n) => n.id), guardText(t.guard), named(t.actions)]));
    for (const t of node.always ?? [])
      list.push(JSON.stringify(['always', t.target?.map((n) => n.id), guardText(t.guard), named(t.actions)]));
    for (const t of node.after)
      list.push(JSON.stringify(['after', t.delay, t.target?.map((n) => n.id), named(t.actions)]));
    out.set(node.id, list);
    for (const child of Object.values(node.states)) walk(child);
  };
  walk(machine.root);
  return out;
}

/** The guards only the full setup has. */
const FEATURE_GUARDS = Object.keys(connectionMachine.implementations.guards).filter(
  (name) => !(name in connectionChart.implementations.guards),
);

const FEATURE_STATES = [
  'connection.attempt.handshaking',
  'connection.attempt.handshakeGrace',
  'connection.attempt.resuming',
  'connection.attempt.resumeGrace',
  'connection.rejoining',
];

describe('connection chart: its features', () => {
  it('the public connectionSetup and connectionMachine carry their actions; the core setup none', () => {
    const full = connectionSetup.createMachine({ id: 'full', context: {} as never }).implementations;
    const core = connectionCoreSetup.createMachine({ id: 'core', context: {} as never }).implementations;
    expect(Object.keys(CONNECTION_FEATURE_ACTIONS).length).toBeGreaterThan(0);
    for (const [name, action] of Object.entries(CONNECTION_FEATURE_ACTIONS)) {
      expect(full.actions[name as keyof typeof full.actions], name).toBe(action);
      expect(connectionMachine.implementations.actions[name as keyof typeof full.actions], name).toBe(action);
      expect(core.actions[name as keyof typeof core.actions], name).toBeUndefined();
    }
    for (const name of ['hasHandshake', 'resumes', 'groupRestart', 'intensityFails']) {
      expect(full.guards, name).toHaveProperty(name);
      expect(core.guards, name).not.toHaveProperty(name);
    }
    for (const name of ['handshakeTimeout', 'resumeTimeout', 'ackDelay', 'rejoinDelay']) {
      expect(full.delays, name).toHaveProperty(name);
      expect(core.delays, name).not.toHaveProperty(name);
    }
  });

  it('the drop-in chart is the full chart without the feature slots: no feature state, every other edge the same', () => {
    const full = edges(connectionMachine);
    const core = edges(connectionChart);
    expect([...full.keys()].filter((id) => !core.has(id))).toEqual(FEATURE_STATES);
    for (const [id, list] of core) {
      const whole = full.get(id) ?? [];
      // Each of the drop-in's edges is the full chart's, in the same order.
      expect(
        whole.filter((edge) => list.includes(edge)),
        id,
      ).toEqual(list);
    }
    // And what the full chart has more is exactly the slots' content.
    const features = JSON.stringify(CHART_FEATURES);
    let extra = 0;
    for (const [id, list] of full) {
      if (!core.has(id)) continue;
      for (const edge of list.filter((e) => !(core.get(id) ?? []).includes(e))) {
        extra++;
        // Its event is a slot's key (a feature's event), or its guard names a feature's guard (the
        // resume, the handshake, a group's restart, an intensity that fails).
        const [kind, , guard] = JSON.parse(edge) as [string, unknown, string | undefined];
        const byGuard = FEATURE_GUARDS.some((name) => guard?.includes(name));
        expect(features.includes(`"${kind}"`) || byGuard, `${id} ${edge}`).toBe(true);
      }
    }
    expect(extra).toBeGreaterThan(0);
  });

  it('entry and exit actions alike, but for the exit slot (the ack timer of a resumable session)', () => {
    const byId = (machine: AnyStateMachine) => {
      const out = new Map<string, { entry: unknown[]; exit: unknown[] }>();
      const walk = (node: AnyStateMachine['root']) => {
        out.set(node.id, { entry: named(node.entry), exit: named(node.exit) });
        for (const child of Object.values(node.states)) walk(child);
      };
      walk(machine.root);
      return out;
    };
    const full = byId(connectionMachine);
    const slot: readonly string[] = CHART_FEATURES.exit;
    for (const [id, { entry, exit }] of byId(connectionChart)) {
      expect(entry, id).toEqual(full.get(id)?.entry);
      const fullExit = full.get(id)?.exit ?? [];
      expect(exit, id).toEqual(fullExit.filter((a) => !slot.includes(a as string)));
    }
    expect(full.get('connection.attempt')?.exit).toEqual(expect.arrayContaining([...slot]));
  });

  it('the feature states are the ones no drop-in option reaches', () => {
    expect(Object.keys(CHART_FEATURES.states)).toEqual([
      'handshaking',
      'handshakeGrace',
      'resuming',
      'resumeGrace',
    ]);
    expect(Object.keys(CHART_FEATURES.root)).toEqual(['rejoining']);
  });
});
