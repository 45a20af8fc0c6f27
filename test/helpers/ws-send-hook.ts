/**
 * A `ws` transport whose send() a test decides, for tests of what a link does when its transport
 * refuses a write or ends inside send(): each socket (numbered from 1, the first) gets the send
 * `sendFor(socket, write, handlers)` returns, `write` being the real socket's send and `handlers`
 * the link's (to report a close from inside send()); ping, close, terminate and bufferedAmount
 * are the real socket's.
 */
import { type Transport, type TransportConnection, wsTransport } from '../../src/index.js';

type Send = TransportConnection['send'];
type Handlers = Parameters<Transport['connect']>[1];

export function wsWithSend(
  name: string,
  sendFor: (socket: number, write: Send, handlers: Handlers) => Send,
): Transport {
  let sockets = 0;
  return {
    ...wsTransport,
    name,
    connect(target, handlers, context) {
      const inner: TransportConnection = wsTransport.connect(target, handlers, context);
      const send = sendFor(++sockets, (data) => inner.send(data), handlers);
      return {
        send,
        ping: () => inner.ping(),
        close: (code, reason) => inner.close(code, reason),
        terminate: () => inner.terminate(),
        get bufferedAmount() {
          return inner.bufferedAmount;
        },
      };
    },
  };
}
