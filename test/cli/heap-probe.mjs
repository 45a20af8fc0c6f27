/**
 * Loaded into a CLI child process (`node --expose-gc --import ./test/cli/heap-probe.mjs bin/linkvisor.js …`)
 * by tests that bound its memory: on SIGUSR2 it collects garbage and appends the heap in use (bytes)
 * as one line to the file named by LV_HEAP_PROBE. The heap after a full GC is what the process holds;
 * RSS also holds what V8 has not collected yet.
 */
import { appendFileSync } from 'node:fs';

const file = process.env.LV_HEAP_PROBE;
if (file && typeof globalThis.gc === 'function') {
  process.on('SIGUSR2', () => {
    globalThis.gc();
    appendFileSync(file, `${process.memoryUsage().heapUsed}\n`);
  });
}
