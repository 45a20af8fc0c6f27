/**
 * `LinkTestModel.pathFromEvents` (src/testing/link-model.ts, docs/testing.md): a path of the given
 * events from the chart's initial state, with the model's input (the link's context), each step the
 * snapshot after its event, runnable as the generated ones. Before: xstate's getPathsFromEvents
 * dropped the input, so the chart never left its initial state (no context: a guard threw).
 */
import { describe, expect, it } from 'vitest';
import type { ConnectionEvent } from '../../machines/connection-types.js';
import { createLinkTestModel } from '../../src/testing/index.js';

const EVENTS = [
  { type: 'transport.open' },
  { type: 'transport.closed', reason: { kind: 'close', code: 1006, message: 'connection reset' } },
] as unknown as ConnectionEvent[];

describe('LinkTestModel.pathFromEvents', () => {
  it('steps through the chart with the model’s context, and runs', async () => {
    const model = createLinkTestModel();
    const path = model.pathFromEvents(EVENTS);
    expect(path.events).toEqual(EVENTS);
    expect(path.steps).toHaveLength(EVENTS.length + 1);
    for (const step of path.steps) expect(step.state.context).toBeDefined();
    expect(path.steps.map((s) => s.state.value)).toEqual([
      { attempt: 'connecting' },
      { attempt: { ready: 'settling' } },
      'reconnecting',
    ]);
    expect(path.steps.at(-1)?.state.context.retry.attempt).toBe(1);
    await path.run();
  });

  it('names the step whose event the model does not offer', () => {
    const model = createLinkTestModel();
    expect(() => model.pathFromEvents([{ type: 'handshake.ok' } as ConnectionEvent])).toThrow(
      /does not offer .* at step 1/,
    );
  });
});
