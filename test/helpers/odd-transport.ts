/**
 * A custom transport (the public Transport interface, scheme `odd:`) whose every connection reports
 * a reason through `closed()` a turn after connect(): for the tests of what a transport reports
 * against the contract (test/runtime/transport-odd-reason.test.ts) or within it
 * (test/runtime/transport-own-kind.test.ts). `timers`: its turns not run yet (nothing left after
 * close); `connects`: how many connections the link made.
 */
import {
  createSupervisor,
  type Link,
  type LinkvisorError,
  type Supervisor,
  type Transport,
  type TransportHandlers,
} from '../../src/index.js';

/** A transport whose every connection reports `reason` through `closed()` a turn after connect()
 * (with `opened`: after reporting it open, so the link was ready; `'no info'`: open(null)). */
export function oddTransport(
  reason: unknown,
  opened: boolean | 'no info' = false,
): Transport & { timers: Set<ReturnType<typeof setTimeout>>; connects: number } {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const transport = {
    name: 'odd',
    inProcess: false,
    protocolPing: false,
    schemes: ['odd:'],
    timers,
    connects: 0,
    connect(_target: unknown, handlers: TransportHandlers) {
      transport.connects++;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (opened) handlers.open(opened === 'no info' ? (null as never) : { protocol: '', extensions: '' });
        handlers.closed(reason as never);
      }, 0);
      timers.add(timer);
      const stop = () => {
        clearTimeout(timer);
        timers.delete(timer);
      };
      return { send: () => false, ping: () => false, close: stop, terminate: stop, bufferedAmount: 0 };
    },
  };
  return transport;
}

/** A supervisor on `transport` that retries at once (no heartbeat, a 1 ms backoff without jitter),
 * one link to `url` on it, and the errors that link reports. */
export function oddLink(
  transport: Transport,
  url = 'odd://svc',
): { supervisor: Supervisor; link: Link; errors: LinkvisorError[] } {
  const supervisor = createSupervisor({
    transport,
    heartbeat: false,
    backoff: { initialDelayMs: 1, maxDelayMs: 1, jitter: 'none' },
  });
  const link = supervisor.connect(url);
  const errors: LinkvisorError[] = [];
  link.on('error', (error) => errors.push(error));
  return { supervisor, link, errors };
}
