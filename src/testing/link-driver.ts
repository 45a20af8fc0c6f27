/**
 * LinkDriver: performs the model's events on the real runtime — accepts, refuses or drops on a
 * server under the test's control (ModelServer), fires a named delay's timer on the test clock,
 * answers a held ping, or sends a command to the link actor. It decides nothing: the path does.
 */
import type { AnyActorRef } from 'xstate';
import type { ConnectionEvent } from '../../machines/connection.machine.js';
import type { RefuseWith } from '../transports/memory-transport.js';
import { type ConnectionSnapshot, describeEvent, reasonClass } from './link-model-events.js';
import { MODEL_DELAYS_MS } from './link-model-options.js';
import { settle, type TestClock } from './test-clock.js';

/** What the driver needs of a server under the test's control (the memory server is one; a
 * `ws` server that holds upgrades, pings and close echoes can be another). */
export interface ModelServer {
  /** Connection attempts waiting for a decision. */
  readonly pending: readonly { accept(): unknown; refuse(how?: RefuseWith): void }[];
  /** Open server-side peers, oldest first. */
  readonly peers: readonly { terminate(): void; close(code?: number): void; send(data: string): void }[];
  answerPings(): number;
  completeCloses(): number;
}

/** Performs model events on the real runtime: the server, the clock, the link actor. */
export class LinkDriver {
  constructor(
    private readonly server: ModelServer,
    private readonly clock: TestClock,
    private readonly link: () => AnyActorRef,
    private readonly send: ((data: string) => unknown) | null,
  ) {}

  async perform(event: ConnectionEvent, snapshot: ConnectionSnapshot): Promise<void> {
    const fail = (why: string): never => {
      throw new Error(`cannot perform ${describeEvent(event)} in ${JSON.stringify(snapshot.value)}: ${why}`);
    };
    const server = this.server;
    const peer = () => server.peers.at(-1) ?? fail('no open peer on the server');
    const type = event.type as string;
    if (type.startsWith('xstate.after.')) {
      const delay = type.split('.')[2] as keyof typeof MODEL_DELAYS_MS;
      if (!(await this.clock.fire(MODEL_DELAYS_MS[delay]))) fail(`no ${delay} timer pending`);
      return;
    }
    switch (event.type) {
      case 'transport.open': {
        const pending = server.pending[0] ?? fail('no connection attempt pending');
        pending.accept();
        break;
      }
      case 'transport.closed': {
        const kind = reasonClass(event.reason);
        if (snapshot.matches({ attempt: 'closing' })) {
          if (server.completeCloses() === 0) fail('no close handshake held');
        } else if (snapshot.matches({ attempt: 'connecting' })) {
          const pending = server.pending[0] ?? fail('no connection attempt pending');
          pending.refuse(
            kind === 'fatal'
              ? { status: 403 }
              : kind === 'auth'
                ? { status: 401 }
                : { error: 'ECONNREFUSED' },
          );
        } else if (kind === 'retryable') {
          peer().terminate();
        } else {
          peer().close(kind === 'fatal' ? 1008 : kind === 'auth' ? 3000 : 1000);
        }
        break;
      }
      case 'handshake.ok':
        peer().send('ok');
        break;
      case 'handshake.failed':
        peer().send(event.reason.fatal ? 'fatal' : 'no');
        break;
      case 'heartbeat.pong':
        if (event.proof === 'pong') {
          if (server.answerPings() === 0) fail('no ping held');
        } else {
          peer().send('activity');
        }
        break;
      case 'heartbeat.overdue': {
        if (!this.send) fail('no link facade to send through');
        // Timers suspended (sleep): time jumps, then the application sends.
        this.clock.jump(10 * MODEL_DELAYS_MS.heartbeatInterval);
        this.send?.('after sleep');
        break;
      }
      default:
        this.link().send(event);
    }
    await settle();
  }
}
