/**
 * A stepped snapshot's `children` and empty `historyValue` are one frozen object shared by every
 * actor (src/stepper/stepped-machine.ts, BENCHMARKS.md round 49 (idle heap)): XState copies them
 * before it writes (spawn, stop, history), so a snapshot persisted mid-path and restored, stepped
 * by XState or by the stepper from there, is the same as XState's own all the way (round 49's
 * review).
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { connectionMachine } from '../../machines/connection.machine.js';
import { stepMachine } from '../../src/stepper/stepped-machine.js';
import { TestClock } from '../../src/testing/index.js';
import { createLinkTestModel, linkModelInput } from '../../src/testing/link-model.js';
import { shownSnapshot } from './stepped-harness.js';

const stepped = stepMachine(connectionMachine.provide({}));

describe('a stepped snapshot persisted and restored', () => {
  it("shares one frozen empty children/historyValue, and restores to XState's own steps", () => {
    const model = createLinkTestModel({ heartbeat: true, intensity: false });
    const input = linkModelInput(model.config);
    const path = model.coveringPaths().reduce((a, b) => (b.events.length > a.events.length ? b : a));
    const half = Math.floor(path.events.length / 2);
    const first = createActor(stepped, { input, clock: new TestClock() }).start();
    const second = createActor(stepped, { input, clock: new TestClock() }).start();
    for (const event of path.events.slice(0, half)) {
      first.send(event);
      second.send(event);
    }
    const a = first.getSnapshot() as unknown as { children: object; historyValue: object };
    expect(a.children).toBe((second.getSnapshot() as unknown as { children: object }).children);
    expect(Object.isFrozen(a.children) && Object.isFrozen(a.historyValue)).toBe(true);
    const persisted = JSON.parse(JSON.stringify(first.getPersistedSnapshot()));
    first.stop();
    second.stop();
    const plain = createActor(connectionMachine, {
      input,
      clock: new TestClock(),
      snapshot: persisted,
    }).start();
    const mine = createActor(stepped, { input, clock: new TestClock(), snapshot: persisted }).start();
    expect(shownSnapshot(mine.getSnapshot(), stepped)).toEqual(
      shownSnapshot(plain.getSnapshot(), connectionMachine),
    );
    for (const event of path.events.slice(half)) {
      plain.send(event);
      mine.send(event);
      expect(shownSnapshot(mine.getSnapshot(), stepped)).toEqual(
        shownSnapshot(plain.getSnapshot(), connectionMachine),
      );
    }
    plain.stop();
    mine.stop();
  });
});
