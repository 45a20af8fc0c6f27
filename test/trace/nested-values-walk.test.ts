/**
 * The nesting check of a trace's lines (trace-input-checks.ts nestingProblem) on what it cannot
 * trust: a key that may be a secret is named by its length, never quoted; and a value shared level
 * after level (an object given to replayTrace / shrinkTrace, where one object can sit in two fields)
 * is walked once per level, not once per way down to it. Before: the key was quoted as it was in
 * the file, and a value shared twice on each of 16 levels was walked 2^16 times (40 levels: never
 * ending), counted here by the keys the walk asked for.
 */
import { expect, it } from 'vitest';
import { checkTraceContent, parseTrace } from '../../src/trace/trace-format.js';
import { TRACE_HEADER } from './memory-session.js';

const actor = { kind: 'actor', step: 0, actor: 'socket', machine: 'socket', value: 'open', atMs: 0 };

it('a key that may be a secret is named by its length, not quoted', () => {
  const secret = 'Bearer sk-live-0123456789abcdef';
  const deep = `${'['.repeat(60)}${']'.repeat(60)}`;
  const line = JSON.stringify({ ...actor, [secret]: 1 }).replace('1}', `${deep}}`);
  let error: unknown;
  try {
    parseTrace(`${JSON.stringify(TRACE_HEADER)}\n${line}\n`);
  } catch (caught) {
    error = caught;
  }
  expect(error).toMatchObject({
    code: 'LV_ERR_INVALID_TRACE',
    message: `trace: line 2: [a string of ${secret.length} characters][0] is nested more than 40 levels deep`,
  });
  expect(String((error as Error).message)).not.toContain('sk-live');
});

it('a value shared on every level is walked once per level, not 2^levels times', () => {
  let keysAsked = 0;
  let shared: unknown = 'leaf';
  for (let i = 0; i < 16; i++) {
    const level = { a: shared, b: shared };
    shared = new Proxy(level, {
      ownKeys: (target) => {
        keysAsked++;
        return Reflect.ownKeys(target);
      },
    });
  }
  const trace = checkTraceContent({ ...TRACE_HEADER }, [{ ...actor, note: shared }], (i) => `record ${i}`);
  expect(trace.records).toHaveLength(1);
  expect(keysAsked).toBeLessThanOrEqual(16);
});
