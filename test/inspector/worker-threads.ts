/**
 * Worker threads alive in this process, followed with async_hooks (created, not yet destroyed):
 * Node lists no worker in `process.getActiveResourcesInfo()`, so the harness's leak check
 * (test/helpers/leaks.ts) cannot see one left running.
 */
import { createHook } from 'node:async_hooks';

export interface WorkerCount {
  live(): number;
  stop(): void;
}

export function followWorkers(): WorkerCount {
  const live = new Set<number>();
  const hook = createHook({
    init(id, type) {
      if (type === 'WORKER') live.add(id);
    },
    destroy(id) {
      live.delete(id);
    },
  }).enable();
  return { live: () => live.size, stop: () => hook.disable() };
}
