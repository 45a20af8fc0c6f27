/**
 * A stepped start (src/stepper/stepped-machine.ts `start`) seen field by field: every inspection
 * event of the link (each microstep's and snapshot event's snapshot, every field but the machine
 * and the functions, its context included; each action's type and params), the scheduler's keys
 * (a cancel by id later finds the stableAfter timer), and the start's snapshot persisted, restored
 * and run on (its timer fired): the same as XState's own start of the link. ./stepped-start.test.ts
 * compares the microsteps' state values only.
 */
import { describe, expect, it } from 'vitest';
import { type AnyStateMachine, createActor, type InspectionEvent } from 'xstate';
import { type ConnectionInput, connectionMachine } from '../../machines/connection.machine.js';
import { type StartLeaf, startedChart, startLeafOf } from '../../machines/started-chart.js';
import { stepMachine, stepperStats } from '../../src/stepper/stepped-machine.js';
import { TestClock } from '../../src/testing/index.js';

const POLICIES: Partial<ConnectionInput>[] = [
  { inProcess: true },
  { inProcess: true, resume: { resumeTimeoutMs: 500, ackDelayMs: 20 } },
  { inProcess: true, heartbeat: { intervalMs: 777 } },
];
const LINK = { linkId: 'link:a', label: 'mem://a', seed: 1 };

/** JSON without the machine, the link's parent, functions; sets as arrays, nodes by id. */
function json(value: unknown): string {
  return JSON.stringify(value, (key, v) => {
    if (key === 'machine' || key === 'parent' || typeof v === 'function') return undefined;
    if (key === '_nodes') return (v as { id: string }[]).map((n) => n.id);
    return v instanceof Set ? [...v] : v;
  });
}

/** What is seen of a link of `machine` started with `input`, then persisted, restored, run on. */
function seen(machine: AnyStateMachine, input: unknown) {
  const events: string[] = [];
  const clock = new TestClock();
  const actor = createActor(machine, {
    id: 'link',
    input,
    clock,
    inspect: (e: InspectionEvent) => {
      const { actorRef, ...rest } = e as InspectionEvent & { snapshot?: object };
      events.push(
        `${(actorRef as { id?: string }).id} ${json({ ...rest, rootId: undefined, sourceRef: undefined })}`,
      );
    },
  });
  actor.start();
  const scheduled = Object.keys(actor.system.getSnapshot()._scheduledEvents).map((k) =>
    k.replace(/^x:\d+\./, ''),
  );
  const persisted = JSON.parse(json(actor.getPersistedSnapshot()));
  actor.stop();
  const restored = createActor(machine, { input, clock: new TestClock(), snapshot: persisted }).start();
  const after = [json(restored.getSnapshot())];
  restored.send({ type: 'transport.closed', code: 1006, reason: '' });
  after.push(json(restored.getSnapshot()));
  restored.stop();
  return { events, scheduled, persisted, after };
}

describe('a stepped start, field by field', () => {
  it('inspection events (every snapshot field, contexts too), scheduler keys, persisted and restored: XState’s start', () => {
    for (const policy of POLICIES) {
      const input = { ...LINK, ...policy };
      const leaf = startLeafOf(connectionMachine, input) as StartLeaf;
      const stepped = stepMachine(startedChart(connectionMachine, leaf));
      seen(stepped, input); // the policy's first link: XState's start, judged not kept
      const mine = seen(stepped, input);
      expect(stepperStats(stepped)?.starts, json(policy)).toBe(1);
      expect(mine, json(policy)).toEqual(seen(startedChart(connectionMachine, leaf), input));
      expect(mine.scheduled.length, json(policy)).toBeGreaterThan(0);
      expect(mine.events.filter((e) => e.includes('"@xstate.microstep"')).length).toBeGreaterThan(0);
    }
  });
});

/** A link of `machine` whose raw inspection observer throws at its `nth` microstep event (0: never
 * inspected), started: its snapshot after its making (every field), the events inspected, the
 * error it reports. */
function broken(machine: AnyStateMachine, input: unknown, nth: number) {
  const events: string[] = [];
  let microsteps = 0;
  const actor = createActor(machine, {
    id: 'link',
    input,
    clock: new TestClock(),
    inspect: (e: InspectionEvent) => {
      events.push(`${e.type} ${json((e as { snapshot?: unknown }).snapshot ?? null)}`);
      if (e.type === '@xstate.microstep' && ++microsteps === nth) throw new Error('inspector broke');
    },
  });
  const reported: unknown[] = [];
  actor.subscribe({ error: (error) => reported.push(String(error)) });
  const created = actor.getSnapshot();
  const fields = Object.keys(created);
  const made = json(created);
  actor.start();
  const after = json(actor.getSnapshot());
  actor.stop();
  return { fields, made, after, events, reported };
}

describe('a stepped start whose inspection observer throws (raw: linkvisor wraps its own)', () => {
  it("is XState's error snapshot (the pre-initial one, context assigned), the same events before it", () => {
    const input = { ...LINK, inProcess: true };
    const leaf = startLeafOf(connectionMachine, input) as StartLeaf;
    const stepped = stepMachine(startedChart(connectionMachine, leaf));
    seen(stepped, input);
    for (const nth of [1, 2]) {
      const before = stepperStats(stepped)?.starts ?? 0;
      const mine = broken(stepped, input, nth);
      expect(stepperStats(stepped)?.starts).toBe(before + 1);
      expect(mine.reported).toEqual(['Error: inspector broke']);
      expect(mine, `microstep ${nth}`).toEqual(broken(startedChart(connectionMachine, leaf), input, nth));
    }
  });
});
