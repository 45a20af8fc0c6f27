/**
 * The transitions of `on` and `always` of the connection, socket and shard charts share V8's hidden
 * classes: two a chart (with and without a description), one in the shard chart (all described).
 * Built from their configs as written they had 14, 6 and 3: XState copies each config into its
 * transition object, so the object's class followed the keys the config wrote, and the drop's
 * transition loops deoptimised on the classes they had not seen (BENCHMARKS.md round 17 (drop);
 * machines/uniform-transitions.ts). Not a timing: V8's own answer (`%HaveSameMap`) in a child
 * process run with `--allow-natives-syntax` (test/size/fixtures/transition-shape-child.ts).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNativesChild } from '../helpers/natives-child.js';

const CHILD = fileURLToPath(new URL('./fixtures/transition-shape-child.ts', import.meta.url));

describe("the charts' transitions share hidden classes", () => {
  it('connection, socket: two classes; shard: one; every transition with fast properties', {
    timeout: 120_000,
  }, async () => {
    const shapes = (await runNativesChild(CHILD)) as Record<
      string,
      { transitions: number; classes: number; fast: number }
    >;
    expect(Object.keys(shapes)).toEqual(['connection', 'socket', 'shard']);
    for (const [id, { transitions, classes, fast }] of Object.entries(shapes)) {
      expect({ id, classes, fast }).toEqual({ id, classes: id === 'shard' ? 1 : 2, fast: transitions });
      expect(transitions, id).toBeGreaterThan(4);
    }
  });
});
