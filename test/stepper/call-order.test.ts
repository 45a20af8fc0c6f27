/**
 * The order in which a link calls the user's code is XState's whether the link steps with XState's
 * own `transition` or through the stepper (src/stepper/stepped-machine.ts): a per-attempt `url`
 * function whose attempt signal's `abort` listener runs when the chart leaves the attempt (the
 * custom action `closeTransport`), the `backoff` function (an assign), `shouldReconnect` (a guard)
 * and the `state`, `lost` and `reconnecting` listeners, in the macrostep that ends an attempt. The same scenario runs
 * twice on real ws servers (127.0.0.1, port 0): once with the link's chart stepping through XState
 * (the chart's own `transition` taken off for the run) and once through the stepper.
 */

import { describe, expect, it } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import type { AttemptInfo, Reason } from '../../src/index.js';
import { stepperStats } from '../../src/stepper/stepped-machine.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

/** Takes a stepped machine's own `transition` off (XState's own stepping); gives it back. */
function plainStepping(machine: AnyStateMachine): () => void {
  const own = Object.getOwnPropertyDescriptor(machine, 'transition');
  if (!own) return () => {};
  delete (machine as { transition?: unknown }).transition;
  return () => Object.defineProperty(machine, 'transition', own);
}

describe('stepper: user callbacks run in XState order', () => {
  const h = useHarness();

  async function run(mode: 'xstate' | 'stepper'): Promise<{ calls: string[]; stepped: number }> {
    const calls: string[] = [];
    const server = await h.wsServer({ onConnection: (ws) => ws.close(4000, 'go away') });
    let restore: (() => void) | undefined;
    let logic: AnyStateMachine | undefined;
    let steps = 0;
    const link = h.supervisor(FAST).connect(
      async ({ attempt, signal }: AttemptInfo) => {
        await Promise.resolve();
        if (!logic) {
          logic = (link.actor as unknown as { logic: AnyStateMachine }).logic;
          steps = stepperStats(logic)?.steps ?? 0;
          if (mode === 'xstate') restore = plainStepping(logic);
        }
        calls.push(`url ${attempt}`);
        signal.addEventListener('abort', () => calls.push(`abort ${attempt}`));
        return server.url;
      },
      {
        backoff: (attempt: number) => {
          calls.push(`backoff ${attempt}`);
          return 10;
        },
        shouldReconnect: (reason: Reason, attempt: number) => {
          calls.push(`shouldReconnect ${reason.kind} ${attempt}`);
          return attempt < 2;
        },
      },
    );
    link.on('state', () => calls.push(`state ${link.state}`));
    link.on('lost', () => calls.push('lost'));
    link.on('reconnecting', () => calls.push('reconnecting'));
    try {
      await waitFor(() => link.state === 'failed', { message: 'the link gives up', timeoutMs: 10_000 });
    } finally {
      restore?.();
    }
    const stepped = (stepperStats(logic as AnyStateMachine)?.steps ?? 0) - steps;
    await link.close();
    return { calls, stepped };
  }

  it('the same calls in the same order, stepped or not', async () => {
    const xstate = await run('xstate');
    const stepper = await run('stepper');
    expect(xstate.stepped).toBe(0);
    expect(stepper.stepped).toBeGreaterThan(0);
    expect(stepper.calls).toEqual(xstate.calls);
  });
});
