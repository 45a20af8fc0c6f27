/**
 * `Emitter.clear()` (src/util/emitter.ts) drops its map of listeners, as removing the last
 * listener does: it kept an empty Map, ~150 B for each cleared emitter still held (5,000 ended
 * resumable sessions an application keeps: ~0.75 MB). Links never clear theirs (a closed link's
 * listeners stay with it). Each kind is measured in a child process of its own with --expose-gc
 * (test/size/fixtures/emitter-clear-child.ts): a cleared emitter must weigh what one that never
 * had a listener weighs, within 48 B (the heap after full GC of the same work moves by a few
 * bytes an emitter). The measurement prints its bytes.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./fixtures/emitter-clear-child.ts', import.meta.url));
const COUNT = 20_000;
/** A cleared emitter's heap over a bare one's, at most (bytes). */
const MARGIN_BYTES = 48;

async function bytesPerEmitter(kind: 'bare' | 'cleared'): Promise<number> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', CHILD, kind, String(COUNT)],
    { timeout: 60_000 },
  );
  return (JSON.parse(stdout.trim()) as { bytesPerEmitter: number }).bytesPerEmitter;
}

it(`a cleared emitter weighs what a bare one does, within ${MARGIN_BYTES} B (${COUNT} held)`, {
  timeout: 120_000,
}, async () => {
  const bare = await bytesPerEmitter('bare');
  const cleared = await bytesPerEmitter('cleared');
  console.log(
    `heap: ${COUNT} emitters held: bare ${bare.toFixed(0)} B each, cleared ${cleared.toFixed(0)} B`,
  );
  expect(bare).toBeGreaterThan(16);
  expect(cleared - bare, 'bytes a cleared emitter keeps over a bare one').toBeLessThanOrEqual(MARGIN_BYTES);
});
