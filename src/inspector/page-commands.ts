/**
 * What a page may do to the actors it watches: the events it may send per machine (only with
 * `allowEvents`), and the running of one such command on the supervisor. Anything else is refused
 * with a scrubbed message; a trace-only inspector (no supervisor) refuses them all.
 */
import type { Supervisor } from '../runtime/supervisor.js';
import { shown } from '../util/describe.js';
import type { Inspector } from './create-inspector.js';
import { logicOf } from './inspected-actor.js';
import type { PageMessage } from './protocol.js';
import { scrubText } from './redact-value.js';

/** Events the page may send per machine, with `allowEvents`. */
export const PAGE_COMMANDS: Record<string, string[]> = {
  connection: ['link.reconnect', 'link.close'],
  socket: ['reconnect.disable', 'reconnect.enable'],
};

/** What a command runs against: the collector finds the actor, the supervisor acts on it. */
export interface PageCommandTarget {
  allowEvents: boolean;
  inspector: Inspector;
  supervisor: Supervisor | null;
}

/** Runs a page's `send` if it is allowed; the answer goes back to the page as its `result`. */
export function runPageCommand(
  message: PageMessage & { type: 'send' },
  { allowEvents, inspector, supervisor }: PageCommandTarget,
): { ok: boolean; message: string } {
  if (!allowEvents)
    return { ok: false, message: 'this inspector is read-only (start it with allowEvents: true)' };
  const type = message.event?.type;
  const ref = inspector.actorRef(String(message.actor));
  const machine = ref ? ((logicOf(ref) as { id?: string } | undefined)?.id ?? '') : '';
  const allowed = PAGE_COMMANDS[machine] ?? [];
  if (!ref || typeof type !== 'string' || !allowed.includes(type)) {
    return {
      ok: false,
      // The page's own words come back through `shown` (a token it pasted is not echoed); an actor
      // the inspector knows is named by its id.
      message: `not allowed: ${shown(type)} to ${ref ? `'${scrubText(String(message.actor))}'` : shown(message.actor)}`,
    };
  }
  if (!supervisor) return { ok: false, message: 'no supervisor: this inspector only shows a trace' };
  if (type === 'link.close') void supervisor.get(String(message.actor))?.close();
  else if (type === 'reconnect.enable' || type === 'reconnect.disable') {
    supervisor.setReconnect(type === 'reconnect.enable');
  } else ref.send({ type });
  return { ok: true, message: `sent ${type} to ${message.actor}` };
}
