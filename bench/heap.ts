/**
 * Heap measurement for the memory benchmarks (run with --expose-gc): the least heap used over three
 * full collections, each followed by a loop turn, so that garbage freed late does not count.
 */
const gc = (globalThis as { gc?: () => void }).gc;

/** One loop turn (a macrotask). */
export const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Throws unless node runs with --expose-gc. */
export function requireGc(what: string): void {
  if (!gc) throw new Error(`${what}: run with --expose-gc`);
}

export async function heap(): Promise<number> {
  let least = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    gc?.();
    gc?.();
    await turn();
    least = Math.min(least, process.memoryUsage().heapUsed);
  }
  return least;
}
