/**
 * `createLayoutWorker()`: elkjs in a Node worker thread, so that laying out a chart (0.3–5 s for
 * the connection chart, by load) never stalls the application's event loop: a stall that long
 * would fire its links' connect timeouts and heartbeats. The worker is started on the first
 * layout and ended by `stop()`; idle, it does not keep the process alive. A worker that fails
 * (elkjs not found, crashed, killed) rejects the layouts it had; the next layout starts another.
 *
 * The worker's script is a few lines evaluated in the worker (nothing to resolve beside this file,
 * from source under tsx as from the built package); it loads the same elkjs bundle
 * (`elkjs/lib/elk.bundled.js`), resolved from this module, so the layouts are those elkjs gives
 * on the application's thread.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { ElkNode } from 'elkjs/lib/elk-api.js';

/** Runs in the worker: one elkjs instance, a layout per message, answered by id. */
const WORKER_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const ELK = require(workerData.elk);
const elk = new (ELK.default ?? ELK)();
parentPort.on('message', ({ id, graph }) => {
  elk.layout(graph).then(
    (laid) => parentPort.postMessage({ id, graph: laid }),
    (error) => parentPort.postMessage({
      id,
      error: error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) },
    }),
  );
});
`;

/** Lays out elkjs graphs in a worker thread. */
export interface LayoutWorker {
  /** The graph laid out by elkjs, or rejected (elkjs's error, a failed worker, or stopped). */
  layout(graph: ElkNode): Promise<ElkNode>;
  /** Ends the worker (resolves once it has exited); later layouts are rejected. */
  stop(): Promise<void>;
}

type Answer = { id: number; graph?: ElkNode; error?: { name?: string; message: string } };
type Pending = { resolve: (graph: ElkNode) => void; reject: (error: Error) => void };

function errorOf(error: { name?: string; message: string }): Error {
  const out = new Error(error.message);
  if (error.name && error.name !== 'Error') out.name = error.name;
  return out;
}

/** `script` is the worker's code (tests give one that fails); by default elkjs's. */
export function createLayoutWorker(script: string = WORKER_SCRIPT): LayoutWorker {
  let worker: Worker | null = null;
  let stopped = false;
  let nextId = 0;
  const pending = new Map<number, Pending>();
  const failAll = (error: Error) => {
    const all = [...pending.values()];
    pending.clear();
    for (const p of all) p.reject(error);
  };

  const start = (): Worker => {
    const elk = createRequire(import.meta.url).resolve('elkjs/lib/elk.bundled.js');
    // No execArgv of this process (a loader such as tsx): the script is plain CommonJS.
    const started = new Worker(script, { eval: true, workerData: { elk }, execArgv: [] });
    const gone = (error: Error) => {
      if (worker !== started) return;
      worker = null;
      failAll(error);
    };
    started.on('message', ({ id, graph, error }: Answer) => {
      const p = pending.get(id);
      if (!p) return;
      pending.delete(id);
      if (pending.size === 0) started.unref();
      if (error) p.reject(errorOf(error));
      else p.resolve(graph as ElkNode);
    });
    started.on('error', (error: Error) => gone(error));
    started.on('exit', (code) => gone(new Error(`the layout worker exited (code ${code})`)));
    return started;
  };

  return {
    layout(graph) {
      if (stopped) return Promise.reject(new Error('the layout worker is stopped'));
      try {
        worker ??= start();
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      const id = nextId++;
      const running = worker;
      return new Promise<ElkNode>((resolve, reject) => {
        try {
          running.postMessage({ id, graph });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        pending.set(id, { resolve, reject });
        // Held while it has work; an idle worker does not keep the process alive.
        running.ref();
      });
    },
    async stop() {
      stopped = true;
      const running = worker;
      worker = null;
      failAll(new Error('the layout worker is stopped'));
      if (running) await running.terminate();
    },
  };
}
