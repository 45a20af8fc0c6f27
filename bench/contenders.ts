/**
 * The four clients the benchmarks compare, behind one small interface: raw `ws`,
 * reconnecting-websocket and partysocket (both given `ws` as their WebSocket), and a linkvisor link.
 * Each delivers text messages to the application as strings (raw `ws` hands over a Buffer; the
 * adapter converts it, as an application would), and each is used with its own defaults.
 */
import PartySocket from 'partysocket/ws';
import ReconnectingWebSocket from 'reconnecting-websocket';
import WebSocket from 'ws';
import {
  createSupervisor,
  type Supervisor,
  type SupervisorOptions,
  type Transport,
  wsTransport,
} from '../src/index.js';
import { callsHandlersAsMethods } from '../src/transports/transport.js';

export const CONTENDERS = ['ws', 'reconnecting-websocket', 'partysocket', 'linkvisor'] as const;
export type ContenderName = (typeof CONTENDERS)[number];

export interface Client {
  send(data: string): void;
  onMessage(listener: (data: string) => void): void;
  /** Resolves once the socket is open (the link ready). */
  opened: Promise<void>;
  /** Every open (the first and each reconnect). */
  onOpen(listener: () => void): void;
  /** Every time an open socket is lost. */
  onClose(listener: () => void): void;
}

export interface Fleet {
  open(url: string): Client;
  /** Closes every client; resolves when they are closed. */
  close(): Promise<void>;
}

/** Counts every WebSocket the peers construct (their reconnect attempts). */
export interface AttemptCounter {
  onAttempt(at: number): void;
}

const ignoreError = (): void => {};

/**
 * The `ws` class the peers are given: it counts attempts when asked to, and every socket has an
 * `error` listener from the start. reconnecting-websocket 4.4's connection timeout calls `close()`
 * on a CONNECTING socket after removing its own listeners, and ws then emits an `error` nobody
 * listens to, which kills the process (seen in the scale section on a loaded host: "WebSocket was
 * closed before the connection was established"). The listener only keeps that peer bug from
 * ending the run; the peer still sees its close and retries as it would. Raw `ws` clients have such
 * a listener too.
 */
function peerWs(counter?: AttemptCounter): typeof WebSocket {
  const onAttempt = counter ? counter.onAttempt.bind(counter) : null;
  return class PeerWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      this.on('error', ignoreError);
      onAttempt?.(performance.timeOrigin + performance.now());
    }
  } as typeof WebSocket;
}

function openPromise(target: { addEventListener(type: 'open', fn: () => void): void }): Promise<void> {
  return new Promise((resolve) => target.addEventListener('open', () => resolve()));
}

/** A fleet of one contender. `linkvisor` takes supervisor options (e.g. jitter off). */
export function fleet(
  name: ContenderName,
  { counter, linkvisor = {} }: { counter?: AttemptCounter; linkvisor?: SupervisorOptions } = {},
): Fleet {
  switch (name) {
    case 'ws': {
      const sockets: WebSocket[] = [];
      return {
        open(url) {
          const ws = new WebSocket(url);
          sockets.push(ws);
          ws.on('error', () => {});
          const opened = new Promise<void>((resolve) => ws.once('open', () => resolve()));
          return {
            send: (data) => ws.send(data),
            onMessage: (listener) =>
              ws.on('message', (data, isBinary) => listener(isBinary ? (data as never) : String(data))),
            opened,
            onOpen: (listener) => ws.on('open', listener),
            onClose: (listener) => ws.on('close', () => listener()),
          };
        },
        async close() {
          await Promise.all(
            sockets.map(
              (ws) =>
                new Promise<void>((resolve) => {
                  if (ws.readyState === WebSocket.CLOSED) resolve();
                  else {
                    ws.once('close', () => resolve());
                    ws.terminate();
                  }
                }),
            ),
          );
        },
      };
    }
    case 'reconnecting-websocket':
    case 'partysocket': {
      const Class = (name === 'partysocket' ? PartySocket : ReconnectingWebSocket) as unknown as new (
        url: string,
        protocols: string[] | undefined,
        options: Record<string, unknown>,
      ) => {
        send(data: string): void;
        close(): void;
        readyState: number;
        addEventListener(type: string, fn: (event: { data?: unknown }) => void): void;
      };
      const sockets: InstanceType<typeof Class>[] = [];
      const WS = peerWs(counter);
      return {
        open(url) {
          const socket = new Class(url, undefined, { WebSocket: WS });
          sockets.push(socket);
          socket.addEventListener('error', () => {});
          return {
            send: (data) => socket.send(data),
            onMessage: (listener) =>
              socket.addEventListener('message', (event) => listener(event.data as string)),
            opened: openPromise(socket as never),
            onOpen: (listener) => socket.addEventListener('open', listener),
            onClose: (listener) => socket.addEventListener('close', listener),
          };
        },
        async close() {
          for (const socket of sockets) socket.close();
          // Their close() starts the close handshake; give the sockets a moment to finish it.
          await new Promise((resolve) => setTimeout(resolve, 100));
        },
      };
    }
    case 'linkvisor': {
      const transport = counter ? countingTransport(counter) : undefined;
      const supervisor: Supervisor = createSupervisor({ ...linkvisor, ...(transport ? { transport } : {}) });
      return {
        open(url) {
          const link = supervisor.connect(url);
          return {
            send: (data) => {
              link.send(data);
            },
            onMessage: (listener) => link.on('message', (data) => listener(data as string)),
            opened: link.ready(),
            onOpen: (listener) => link.on('ready', listener),
            onClose: (listener) => link.on('lost', () => listener()),
          };
        },
        close: () => supervisor.close(),
      };
    }
  }
}

/** `ws` with every attempt counted. Its connect hands the link's handlers straight to wsTransport,
 * which calls them as methods: marked so (callsHandlersAsMethods), the links connect as they do on
 * the default transport; unmarked, as a custom transport, each attempt got five closures and each
 * close a check of its reason (src/transports/detachable-handlers.ts) that no user's link pays. */
function countingTransport(counter: AttemptCounter): Transport {
  return {
    ...wsTransport,
    connect: callsHandlersAsMethods((target, handlers, context) => {
      counter.onAttempt(performance.timeOrigin + performance.now());
      return wsTransport.connect(target, handlers, context);
    }),
  };
}
