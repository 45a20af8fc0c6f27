/**
 * What is seen of a link actor's start and of its life after it, for the kept-start comparisons
 * (test/machines/kept-start*.test.ts): the inspection events of its own, its announcements, its
 * timers, its snapshot's every field, its parent and what that parent was sent.
 */
import { type AnyActorRef, type AnyStateMachine, createActor, type InspectionEvent, setup } from 'xstate';
import { SINGLE_LINK_REPORTS } from '../../machines/socket.machine.js';
import { TestClock } from '../../src/testing/index.js';

/** An actor of `machine` started with `input`, and what is seen of it: the inspection events of
 * its own (action types and params, snapshot events), its announcements, its timers, its snapshot. */
export function start(machine: AnyStateMachine, input: unknown, clock = new TestClock()) {
  const seen: string[] = [];
  const emitted: string[] = [];
  let actor: AnyActorRef | undefined;
  actor = createActor(machine, {
    input,
    clock,
    inspect: (event: InspectionEvent) => {
      if (event.actorRef !== actor) return;
      if (event.type === '@xstate.action') seen.push(`action ${JSON.stringify(event.action)}`);
      if (event.type === '@xstate.microstep') seen.push(`microstep ${event.event.type}`);
      if (event.type === '@xstate.snapshot')
        seen.push(`snapshot ${JSON.stringify((event.snapshot as { value?: unknown }).value)}`);
      if (event.type === '@xstate.event') seen.push(`event ${event.event.type}`);
    },
  });
  actor.on('*', (event) => emitted.push(JSON.stringify(event)));
  const created = actor.getSnapshot();
  actor.start();
  const view = () => {
    const snapshot = actor.getSnapshot();
    const scheduled = Object.values(actor.system.getSnapshot()._scheduledEvents).map(
      ({ event, delay, id, source, target }) => ({
        event,
        delay,
        // A raise without an id is scheduled under a random one.
        id: id.startsWith('xstate.') ? id : 'random',
        own: source === actor && target === actor,
      }),
    );
    return {
      value: snapshot.value,
      status: snapshot.status,
      tags: [...snapshot.tags].sort(),
      context: JSON.stringify({ ...snapshot.context, parent: undefined }),
      // The link's own parent (each link has one of its own), and what it was sent.
      parent: snapshot.context.parent === (input as { parent?: unknown }).parent,
      reported: [...((input as { parent?: { reported: string[] } }).parent?.reported ?? [])],
      // Every field of XState's snapshot, in its order: a field a later XState adds is compared too.
      fields: Object.entries(snapshot)
        .filter(([key]) => key !== 'context' && key !== 'children' && key !== 'machine')
        .map(
          ([key, value]) =>
            `${key} ${typeof value === 'function' ? value.name : JSON.stringify(value instanceof Set ? [...value] : value, (k, v) => (k === '_nodes' || k === 'parent' ? undefined : v))}`,
        ),
      nodes: snapshot._nodes.map((node: { id: string }) => node.id),
      machine: snapshot.machine === machine,
      children: Object.keys(snapshot.children),
      scheduled,
      seen: [...seen],
      emitted: [...emitted],
    };
  };
  return { actor, clock, created, view };
}

/** What a link shows at its start and as it goes on: its view, then after each event (its
 * transport's, if any) and after each timer fired. */
export async function lifeOf(machine: AnyStateMachine, input: unknown, events: { type: string }[] = []) {
  const link = start(machine, input);
  const views = [link.view()];
  for (const event of events) {
    link.actor.send(event);
    views.push(link.view());
  }
  for (let i = 0; i < 4; i++) {
    const next = link.clock.nextAt();
    if (next === null) break;
    await link.clock.advance(next - link.clock.now());
    views.push(link.view());
  }
  link.actor.stop();
  return views;
}

/** A parent actor recording the events it is sent (`reported`). */
export function recorder() {
  const reported: string[] = [];
  const parent = createActor(
    setup({}).createMachine({
      on: { '*': { actions: ({ event }) => reported.push(JSON.stringify(event)) } },
    }),
    // Shown by its id in the link's actions (`sendTo`): the same for every parent.
    { id: 'parent' },
  ).start();
  return Object.assign(parent, { reported });
}

/** Who a link reports to: none (a standalone chart), or a parent of its own, as a supervisor's
 * link has (the socket chart, taking the reports `peerInput` names) or an application machine's
 * (every report). Each link gets a parent of its own: a recorder of what it is sent. */
export const PARENTS = {
  none: () => ({}),
  "a supervisor's": () => ({ parent: recorder(), reports: SINGLE_LINK_REPORTS }),
  "an application machine's": () => ({ parent: recorder() }),
} as const;
