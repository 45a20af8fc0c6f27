/**
 * A supervisor's status (`supervisor.status()`): the socket chart's counts and switches, and the
 * status of every live link, group and watcher, as plain data.
 */
import type { SocketContext } from '../../machines/socket.machine.js';
import type { Link } from './link.js';
import type { LinkGroup } from './link-group.js';
import type { SupervisorStatus } from './supervisor-types.js';
import type { Watcher } from './watcher.js';

/** The status of a supervisor whose socket chart is at `context` (`closed`: close() or terminate()
 * was called), with its live links, groups and watchers (each map by id). */
export function supervisorStatus(
  context: SocketContext,
  closed: boolean,
  links: ReadonlyMap<string, Link>,
  groups: ReadonlyMap<string, LinkGroup>,
  watchers: ReadonlyMap<string, Watcher>,
): SupervisorStatus {
  return {
    closed,
    up: context.ready > 0,
    degraded: context.degraded,
    reconnectEnabled: context.reconnectEnabled,
    online: context.online,
    links: [...links.values()].map((link) => link.status()),
    groups: [...groups.values()].map(({ id, strategy, up, degraded }) => ({ id, strategy, up, degraded })),
    watchers: [...watchers.values()].map((watcher) => watcher.status()),
  };
}
