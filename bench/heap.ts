/**
 * Heap after full garbage collection, for the memory benchmarks (run with --expose-gc): the least
 * `heapUsed` of three rounds of two full GCs and a turn of the event loop.
 */
const gc = (globalThis as { gc?: () => void }).gc;

/** One turn of the event loop (a macrotask). */
export const turn = () => new Promise((resolve) => setImmediate(resolve));

export async function settledHeap(): Promise<number> {
  if (!gc) throw new Error('the memory benchmarks run with --expose-gc');
  let least = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    gc();
    gc();
    await turn();
    least = Math.min(least, process.memoryUsage().heapUsed);
  }
  return least;
}
