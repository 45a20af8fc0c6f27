/**
 * A supervisor's health watchers (`supervisor.watch()`, ./watcher.ts) are kept by name, each
 * forgotten when it ends (the supervisor stops the rest when it closes). They share the
 * supervisor's clock and inspection observer; they have no socket and take no part in the socket
 * chart.
 */
import type { Clock } from '../util/clock.js';
import { LinkvisorError } from '../util/errors.js';
import type { SupervisorOptions } from './supervisor-types.js';
import { createWatcher, type Watcher, type WatcherOptions } from './watcher.js';

/** Starts a watcher and keeps it in `watchers` by name until it ends; throws LV_ERR_DUPLICATE_ID
 * (option `name`) for a name a live one has. Its callbacks' failures go to `onError`. */
export function startWatcher(
  watchers: Map<string, Watcher>,
  options: WatcherOptions,
  clock: Clock,
  inspect: SupervisorOptions['inspect'],
  onError: (error: LinkvisorError) => void,
): Watcher {
  const name = (options as { name?: unknown } | undefined)?.name;
  if (typeof name === 'string' && watchers.has(name)) {
    throw new LinkvisorError('LV_ERR_DUPLICATE_ID', 'watch(): a watcher with this name exists', {
      option: 'name',
    });
  }
  const watcher = createWatcher(options, {
    clock,
    inspect,
    onError,
    onEnd: (ended) => {
      if (watchers.get(ended.name) === ended) watchers.delete(ended.name);
    },
  });
  watchers.set(watcher.name, watcher);
  return watcher;
}
