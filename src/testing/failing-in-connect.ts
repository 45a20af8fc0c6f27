/**
 * The replay's transport (./replay-session.ts): the memory network's, except that an attempt to a
 * server in `failing` fails inside its `connect()` with that server's recorded reason, as a
 * refusing in-process server or a custom transport failed it inside a start slice
 * (./replay-start-refusals.ts), or opens there (null: an in-process server accepted it). The reason
 * may be of any kind: a custom transport's own too.
 */
import type { Reason } from '../../machines/policy/close-reason.js';
import type { MemoryServer } from '../transports/memory-transport.js';
import { callsHandlersAsMethods, type Transport } from '../transports/transport.js';

/** `base` with attempts to the servers in `failing` failed (or opened) inside `connect()`, each once. */
export function failingInConnect(base: Transport, failing: Map<MemoryServer, Reason | null>): Transport {
  return {
    name: base.name,
    inProcess: base.inProcess,
    protocolPing: base.protocolPing,
    schemes: base.schemes,
    ...(base.pausable === undefined ? {} : { pausable: base.pausable }),
    // The memory transport's handlers are passed on as they came (it calls them as methods).
    connect: callsHandlersAsMethods((target, handlers, context) => {
      const connection = base.connect(target, handlers, context);
      for (const [server, reason] of failing) {
        // The attempt the memory server holds for this target: in-process, pending at once.
        const pending = server.pending.find((one) => one.url === target.url);
        if (!pending) continue;
        failing.delete(server);
        if (reason) pending.fail(reason);
        else pending.accept();
        break;
      }
      return connection;
    }),
  };
}
