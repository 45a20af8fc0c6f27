/**
 * What the inspector reads from the supervisor itself rather than from inspection events: the
 * queue length and URL of the links some page follows (from `status()`, polled), and, when the
 * collector was not given to `createSupervisor`, late attachment to the supervisor's links and
 * watchers. Only followed links are read: 10,000 links are not read every second for nothing.
 */
import type { Supervisor } from '../runtime/supervisor.js';
import type { Inspector } from './create-inspector.js';
import { scrubText } from './redact-value.js';

export interface StatusPoll {
  /** Attaches late (if asked) and refreshes the figures of every followed link. */
  poll(): void;
  /** Reads one link's queue and URL into the collector now (a page just selected it). */
  refreshFigures(id: string): void;
}

export function createStatusPoll(
  supervisor: Supervisor | null,
  inspector: Inspector,
  lateAttach: boolean,
  following: () => Iterable<string>,
): StatusPoll {
  function refreshFigures(id: string): void {
    const link = id.startsWith('link:') ? supervisor?.get(id) : undefined;
    if (!link) return;
    const status = link.status();
    inspector.patchFigures(id, { queue: status.queue, url: scrubText(status.url) });
  }
  const attached = new WeakSet<object>();
  const poll = () => {
    if (!supervisor) return;
    try {
      if (lateAttach) {
        for (const link of supervisor.list()) {
          // One waiting for its turn is left to start in it (reading its actor would start it).
          if (!link.attached || attached.has(link.actor)) continue;
          attached.add(link.actor);
          const parent = link.actor.getSnapshot().context.parent;
          if (parent && !attached.has(parent)) {
            attached.add(parent);
            inspector.attach(parent);
          }
          inspector.attach(link.actor);
        }
        // Not status().watchers: status() reads every link, for nothing here.
        for (const { actor } of supervisor.liveWatchers()) {
          if (!attached.has(actor)) {
            attached.add(actor);
            inspector.attach(actor);
          }
        }
      }
      // Only the links some page shows in full: 10,000 links are not read every second for nothing.
      const followed = new Set<string>(following());
      for (const id of followed) refreshFigures(id);
    } catch {
      // a closed supervisor has nothing more to tell
    }
  };
  return { poll, refreshFigures };
}
