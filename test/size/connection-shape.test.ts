/**
 * Every connection a transport opens keeps fast properties and shares one hidden class with the
 * others of its transport. A getter written in each connection's object literal
 * (`{ send() {…}, get bufferedAmount() {…} }`) put every connection in dictionary mode: +0.8 KB a
 * link on the memory transport (BENCHMARKS.md, "Round 17 (getters)"). Not a timing: V8's own
 * answer (`%HasFastProperties`, `%HaveSameMap`) in a child process run with
 * `--allow-natives-syntax`, against a real `ws` server (test/size/fixtures/connection-shape-child.ts).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNativesChild } from '../helpers/natives-child.js';

const CHILD = fileURLToPath(new URL('./fixtures/connection-shape-child.ts', import.meta.url));

describe('transport connections share one hidden class', () => {
  it('memory, ws and WebSocket-constructor connections: fast properties, one map per transport', {
    timeout: 120_000,
  }, async () => {
    expect(await runNativesChild(CHILD)).toEqual({ memory: true, ws: true, constructor: true });
  });
});
