/**
 * Heap budget of the drop-in ReconnectingWebSocket (issue 11): open drop-ins and raw `ws`
 * clients against a real `ws` server, each kind in a child process of its own, the heap after
 * full GC per client (test/size/fixtures/dropin-heap-child.ts). Every drop-in used to provide the
 * connection chart with the runtime for itself, a copy of the chart's whole state-node tree:
 * ~100 KB an open drop-in (raw `ws` + 98 KB), 83 KB one made with startClosed. Since round 17
 * (drop-in heap) they share one: raw + ~17 KB open, ~3 KB closed. Since round 18 (drop-in heap)
 * their links share shards' XState systems (src/runtime/standalone-links.ts) and a drop-in makes
 * no listener functions, bound copies or per-attempt closures, and keeps no template while closed:
 * raw + ~7.3 KB open, ~0.7–1.1 KB closed. The budgets leave a wide margin over that (+2.7 KB and
 * ~2 KB) and catch a per-instance machine or a regression of kilobytes again (the shared systems
 * themselves, ~1.5 KB a drop-in, are held by test/dropin/shared-shard.test.ts); not a timing
 * (the heap after full GC of the same work moves by a few percent at most on a busy machine). The
 * measurement prints its bytes.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./fixtures/dropin-heap-child.ts', import.meta.url));
const CLIENTS = 300;
/** An open drop-in's heap over a raw `ws` client's, at most (bytes). */
const OPEN_BUDGET_BYTES = 10_240;
/** A drop-in made with startClosed, at most (bytes). */
const CLOSED_BUDGET_BYTES = 3_072;

async function bytesPerClient(kind: 'raw' | 'dropin' | 'closed'): Promise<number> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', CHILD, kind, String(CLIENTS)],
    { timeout: 170_000 },
  );
  return (JSON.parse(stdout.trim()) as { bytesPerClient: number }).bytesPerClient;
}

describe('heap per drop-in ReconnectingWebSocket (after full GC)', () => {
  it(`open: within raw ws + ${OPEN_BUDGET_BYTES} B; startClosed: within ${CLOSED_BUDGET_BYTES} B (${CLIENTS} each)`, {
    timeout: 600_000,
  }, async () => {
    const raw = await bytesPerClient('raw');
    const open = await bytesPerClient('dropin');
    const closed = await bytesPerClient('closed');
    console.log(
      `heap: ${CLIENTS} clients on ws: raw ws ${raw.toFixed(0)} B each, drop-in open ${open.toFixed(0)} B ` +
        `(+${(open - raw).toFixed(0)} B; budget +${OPEN_BUDGET_BYTES}), startClosed ${closed.toFixed(0)} B ` +
        `(budget ${CLOSED_BUDGET_BYTES})`,
    );
    expect(raw).toBeGreaterThan(1_000);
    expect(open - raw, 'an open drop-in over raw ws, bytes').toBeLessThanOrEqual(OPEN_BUDGET_BYTES);
    expect(closed, 'a drop-in made with startClosed, bytes').toBeLessThanOrEqual(CLOSED_BUDGET_BYTES);
  });
});
