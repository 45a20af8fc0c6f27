/**
 * The health watchers a supervisor holds (`supervisor.watch()`, ./watcher.ts): by name, each
 * forgotten when it ends, all stopped when the supervisor closes. They share the supervisor's clock
 * and inspection observer; they have no socket and take no part in the socket chart.
 */
import type { Clock } from '../util/clock.js';
import { LinkvisorError } from '../util/errors.js';
import type { SupervisorOptions } from './supervisor-types.js';
import { createWatcher, type Watcher, type WatcherOptions, type WatcherStatus } from './watcher.js';

/** A supervisor's live health watchers, by name. */
export class SupervisorWatchers {
  private readonly byName = new Map<string, Watcher>();

  constructor(
    private readonly clock: Clock,
    private readonly inspect: SupervisorOptions['inspect'],
  ) {}

  /** Starts a watcher; throws LV_ERR_DUPLICATE_ID (option `name`) for a name a live one has. */
  add(options: WatcherOptions): Watcher {
    const name = (options as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string' && this.byName.has(name)) {
      throw new LinkvisorError('LV_ERR_DUPLICATE_ID', `watch(): a watcher named '${name}' exists`, {
        option: 'name',
      });
    }
    const watcher = createWatcher(options, {
      clock: this.clock,
      inspect: this.inspect,
      onEnd: (ended) => {
        if (this.byName.get(ended.name) === ended) this.byName.delete(ended.name);
      },
    });
    this.byName.set(watcher.name, watcher);
    return watcher;
  }

  /** The live watcher with this name. */
  get(name: string): Watcher | undefined {
    return this.byName.get(name);
  }

  /** Each live watcher's status. */
  statuses(): WatcherStatus[] {
    return [...this.byName.values()].map((watcher) => watcher.status());
  }

  /** Stops every live watcher: one promise each, resolved when it has stopped. */
  stopAll(): Promise<void>[] {
    return [...this.byName.values()].map((watcher) => watcher.stop());
  }
}
