/**
 * What a supervisor's links report to (their `parent`): the socket actor, for the reports its chart
 * handles. A link announces everything to its parent (an application machine may want
 * `link.lost`), but the socket chart counts ready, unready, closed and failed links only, and each
 * report delivered is a macrostep of the socket actor: a drop sends three a link (unready, lost,
 * reconnecting), so a mass drop of 1,000 links was 3,000 socket steps, 2,000 of them doing nothing.
 *
 * Which reports are delivered is read from the socket chart (every event type it handles in any
 * state), so the chart stays the source of truth. Only XState's `_send` is used on a parent
 * (`sendTo` relays through the sender's system, which inspects the event with its sender first:
 * traces still see the link as the source of what the socket receives).
 */
import type { AnyActorRef } from 'xstate';

export class SocketReports {
  private readonly handled: ReadonlySet<string>;

  constructor(
    /** The socket actor. */
    readonly socket: AnyActorRef,
    handled: readonly string[],
  ) {
    this.handled = new Set(handled);
  }

  get id(): string {
    return this.socket.id;
  }

  /** XState's delivery to an actor (what `sendTo` calls on its target). */
  _send(event: { type: string }): void {
    if (this.handled.has(event.type)) (this.socket as unknown as SocketReports)._send(event);
  }
}

/** The actor a link's `parent` stands for: the socket actor behind a supervisor's SocketReports. */
export function parentActor(parent: unknown): AnyActorRef | undefined {
  if (parent instanceof SocketReports) return parent.socket;
  return (parent as AnyActorRef | undefined) ?? undefined;
}
