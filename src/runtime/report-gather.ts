/**
 * Gathers the `link.ready` / `link.unready` reports of single links that arrive at the socket actor
 * in one event-loop turn into one socket event (`links.ready` / `links.unready`), flushed by a
 * `setImmediate` (every I/O callback of one poll phase). A report that may cross an edge (the
 * socket's first ready link, its last one lost), a group member's, and every other event sent to
 * the socket flush what was gathered first and go at once, in order.
 * PROTOTYPE (measurement): intercepts the socket actor's `_send` (XState's relay target).
 */
import type { AnyActorRef } from 'xstate';
import { groupOf } from '../../machines/socket.machine.js';

interface Sendable {
  _send(event: { type: string; linkId?: string }): void;
}

export function gatherReports(socket: AnyActorRef): { flush(): void } {
  const target = socket as unknown as Sendable;
  const send = target._send.bind(target);
  let ready: string[] = [];
  let unready: string[] = [];
  let pending: ReturnType<typeof setImmediate> | null = null;
  const flush = () => {
    if (pending !== null) clearImmediate(pending);
    pending = null;
    if (ready.length > 0) {
      const linkIds = ready;
      ready = [];
      send({ type: 'links.ready', linkIds } as never);
    }
    if (unready.length > 0) {
      const linkIds = unready;
      unready = [];
      send({ type: 'links.unready', linkIds } as never);
    }
  };
  target._send = (event) => {
    const { type, linkId } = event;
    if ((type === 'link.ready' || type === 'link.unready') && linkId !== undefined && groupOf(linkId) === null) {
      const snapshot = socket.getSnapshot() as { value: unknown; context: { ready: number } };
      if (snapshot.value === 'open') {
        const counted = snapshot.context.ready + ready.length - unready.length;
        if (type === 'link.ready' ? counted > 0 && unready.length === 0 : counted > 1 && ready.length === 0) {
          (type === 'link.ready' ? ready : unready).push(linkId);
          pending ??= setImmediate(flush);
          return;
        }
      }
    }
    flush();
    send(event);
  };
  return { flush };
}
