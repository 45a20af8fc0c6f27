/**
 * A generation's link events (./reconnecting-websocket.ts): what the link tells the generation (its
 * tap, before any listener of `rws.link`), one object a generation instead of a listener function
 * per event. While it is the current generation: ready, message, state, reconnecting, escalated,
 * failed and error; for good: `dropped` (messages the link accepted and could not write are ours to
 * report, whatever generation).
 */
import type { Reason } from '../../machines/policy/close-reason.js';
import type { Link } from '../runtime/link.js';
import type { LinkEvents } from '../runtime/link-events.js';
import type { LinkTap } from '../runtime/link-wire.js';
import type { Incoming } from '../transports/payload.js';
import type { Generation } from './generation.js';
import { CONNECTING } from './ready-state.js';
import { DroppedEvent } from './ws-events.js';

/** The drop-in socket as its generations' taps see it (its `@internal` members). */
export interface GenerationSocket {
  readonly generation: Generation | null;
  state: number;
  readonly retryCount: number;
  onReady(generation: Generation): void;
  onMessage(data: Incoming): void;
  onAttemptEnded(generation: Generation, event: { attempt: number; delayMs: number; reason: Reason }): void;
  onFailed(generation: Generation, failure: Reason): void;
  dispatch(event: Event): void;
  debug(...args: unknown[]): void;
}

/** A generation of the drop-in and the tap of its link (see the header). */
export class GenerationTap implements Generation, LinkTap {
  over = false;

  constructor(
    readonly link: Link,
    private readonly socket: GenerationSocket,
  ) {}

  linkEvent<K extends keyof LinkEvents & string>(event: K, payload: LinkEvents[K]): void {
    const socket = this.socket;
    if (event === 'dropped') {
      const { data, reason, error } = payload as LinkEvents['dropped'];
      socket.debug('dropped', reason, error?.message ?? '');
      // The drop-in never resumes or pauses, so never sees `reset` or `unread`.
      const why = (reason === 'reset' ? 'closed' : reason) as Exclude<typeof reason, 'reset' | 'unread'>;
      socket.dispatch(new DroppedEvent({ data, reason: why, ...(error ? { error } : {}) }));
      return;
    }
    if (socket.generation !== this || this.over) return;
    switch (event) {
      case 'ready':
        socket.onReady(this);
        break;
      case 'message':
        socket.onMessage(payload as Incoming);
        break;
      case 'state': {
        const { to } = payload as LinkEvents['state'];
        if (to === 'connecting' || to === 'handshaking') socket.state = CONNECTING;
        break;
      }
      case 'reconnecting':
        socket.onAttemptEnded(this, payload as LinkEvents['reconnecting']);
        break;
      case 'escalated':
        socket.onAttemptEnded(this, {
          attempt: socket.retryCount,
          ...(payload as LinkEvents['escalated']),
        });
        break;
      case 'failed':
        socket.onFailed(this, (payload as LinkEvents['failed']).reason);
        break;
      case 'error':
        socket.debug('error', (payload as LinkEvents['error']).message);
        break;
    }
  }
}
