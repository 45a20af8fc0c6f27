/**
 * The connection chart's grace states (a timeout's I/O turn, machines/policy/timeouts.ts): every
 * state marked `meta.graceFor` extends a sibling of that name. Its sibling's timeout enters it; it
 * takes exactly the sibling's events, transition for transition (target, guard, actions); its one
 * timer is `ioTurn`; it carries the sibling's tags and reports the sibling's public state name.
 * A timeout that decides the peer is silent and has no grace state fails here too.
 */

import { describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { connectionMachine, linkStateName } from '../../machines/connection.machine.js';

type Transition = AnyStateNode['after'][number];

/** Every state node of the chart, depth first. */
function nodesOf(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap((child) => nodesOf(child as AnyStateNode))];
}

/** The chart value of being in `node` (`['attempt', 'ready', 'graceTurn']` → nested). */
function chartValue(node: AnyStateNode): unknown {
  return node.path.reduceRight<unknown>((inner, key) => (inner === null ? key : { [key]: inner }), null);
}

/** What a transition does, comparable between two states. */
function shape(transition: Transition) {
  return {
    target: transition.target?.map((target) => target.id) ?? null,
    guard: transition.guard ?? null,
    actions: transition.actions.map((action) =>
      typeof action === 'string' ? action : ((action as { type?: unknown }).type ?? action),
    ),
    reenter: transition.reenter,
  };
}

/** A state's event transitions (its timers left out: those are its own), by event. */
function eventTransitions(node: AnyStateNode) {
  return Object.fromEntries(
    Object.entries(node.on)
      .filter(([event]) => !event.startsWith('xstate.after.'))
      .map(([event, transitions]) => [event, (transitions as Transition[]).map(shape)]),
  );
}

const graces = nodesOf(connectionMachine.root).filter(
  (node) => (node.meta as { graceFor?: unknown } | undefined)?.graceFor !== undefined,
);

describe('grace states (meta.graceFor)', () => {
  it("are the attempt's connect, handshake and resume turns and ready's pong turn", () => {
    expect(graces.map((node) => [node.id, node.meta.graceFor])).toEqual([
      ['connection.attempt.connectGrace', 'connecting'],
      ['connection.attempt.handshakeGrace', 'handshaking'],
      ['connection.attempt.resumeGrace', 'resuming'],
      ['connection.attempt.ready.graceTurn', 'awaitingPong'],
    ]);
  });

  for (const grace of graces) {
    const key = grace.meta.graceFor as string;
    const sibling = grace.parent?.states[key] as AnyStateNode | undefined;

    describe(`${grace.key} (graceFor ${key})`, () => {
      it('extends a sibling whose timeout enters it', () => {
        expect(sibling, `${grace.id}: no sibling ${key}`).toBeDefined();
        const into = (sibling as AnyStateNode).after.filter((t) =>
          t.target?.some((target) => target === grace),
        );
        expect(into).toHaveLength(1);
      });

      it('takes the same events as the state it extends, transition for transition', () => {
        expect(eventTransitions(grace)).toEqual(eventTransitions(sibling as AnyStateNode));
      });

      it('waits one I/O turn, and has no entry or exit of its own', () => {
        expect(grace.after.map((t) => t.delay)).toEqual(grace.after.map(() => 'ioTurn'));
        expect(grace.after.length).toBeGreaterThan(0);
        // (Its timer's own start and cancel are the only actions on the way in and out.)
        expect(grace.config.entry).toBeUndefined();
        expect(grace.config.exit).toBeUndefined();
      });

      it('carries the tags and reports the public state name of the state it extends', () => {
        expect([...grace.tags]).toEqual([...(sibling as AnyStateNode).tags]);
        expect(linkStateName(chartValue(grace))).toBe(linkStateName(chartValue(sibling as AnyStateNode)));
      });
    });
  }

  it('every timeout that ends an attempt goes through a grace state first', () => {
    const attempt = connectionMachine.root.states.attempt as AnyStateNode;
    // Timers of the attempt's phases that leave the attempt: only the grace turns' and closing's
    // own (a close that did not complete is not an answer read late).
    const leaving = nodesOf(attempt)
      .flatMap((node) => node.after.map((t) => ({ node, t })))
      .filter(({ t }) => t.target?.some((target) => !target.id.startsWith('connection.attempt')))
      .map(({ node, t }) => `${node.key} after ${String(t.delay)}`);
    // And resolving's: the bound of the application's own per-attempt functions (a token fetch), not
    // a peer's answer read late; long (10 s by default), it grants no I/O turn.
    expect([...new Set(leaving)]).toEqual([
      'resolving after resolveTimeout',
      'connectGrace after ioTurn',
      'handshakeGrace after ioTurn',
      'resumeGrace after ioTurn',
      'graceTurn after ioTurn',
      'closing after closeTimeout',
    ]);
  });
});
