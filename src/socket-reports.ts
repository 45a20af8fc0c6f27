/**
 * What a supervisor's links report to (their `parent`): the socket actor, for the reports its chart
 * handles. A link announces everything to its parent (an application machine may want
 * `link.lost`), but the socket chart counts ready, unready, closed and failed links only, and each
 * report delivered is a macrostep of the socket actor: a drop sends three a link (unready, lost,
 * reconnecting), so a mass drop of 1,000 links was 3,000 socket steps, 2,000 of them doing nothing.
 *
 * Which reports are delivered is read from the socket chart (every event type it handles in any
 * state), so the chart stays the source of truth. XState delivers to a parent with `_send` (after
 * inspecting the event in the sender's system, with its sender: traces still see the link as the
 * source of what the socket receives); everything else an inspection observer may read of the
 * target (`sessionId`, `id`, `getSnapshot()`…) is the socket actor's, through the prototype.
 */
import type { AnyActorRef } from 'xstate';

const SOCKET = Symbol('linkvisor.socket');

/** A stand-in for `socket` as the links' parent that drops the reports its chart does not handle. */
export function socketReports(socket: AnyActorRef, handled: readonly string[]): AnyActorRef {
  const types = new Set(handled);
  const target = socket as unknown as { _send(event: { type: string }): void };
  return Object.create(socket, {
    [SOCKET]: { value: socket },
    _send: {
      value: (event: { type: string }) => {
        if (types.has(event.type)) target._send(event);
      },
    },
  }) as AnyActorRef;
}

/** The actor a link's `parent` stands for: the socket actor behind `socketReports`. */
export function parentActor(parent: unknown): AnyActorRef | undefined {
  if (typeof parent !== 'object' || parent === null) return undefined;
  return (parent as { [SOCKET]?: AnyActorRef })[SOCKET] ?? (parent as AnyActorRef);
}
