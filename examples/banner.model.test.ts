/**
 * "For every path through the link's lifecycle, my app shows the right banner" — in a few lines,
 * with linkvisor/testing. The model generates the paths from the connection chart; each runs the
 * real application (examples/app-machine.ts) on an in-memory server and a simulated clock, and
 * `check` runs after every step. Run: npx vitest run examples/banner.model.test.ts
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { createLinkTestModel, type LinkModelEnvironment, type LinkModelStep } from '../src/testing/index.js';
import { createBannerMachine } from './app-machine.js';

/** What the banner must say in each link state (the step's snapshot is the chart's, so the
 * numbers of a reconnect are known exactly). */
function expectedBanner(step: LinkModelStep): RegExp | string {
  const { context } = step.snapshot;
  switch (step.state) {
    case 'ready':
      return 'online';
    case 'reconnecting':
      return `reconnecting in ${((context.nextDelayMs ?? 0) / 1000).toFixed(1)} s (attempt ${context.retry.attempt})`;
    case 'failed':
      // The model's reasons are abstract (the runtime's say more): the kind, not the words.
      return context.failure?.kind === 'gave-up' ? /^offline: gave up after \d+ retries; / : /^offline: \S/;
    case 'closed':
      return 'closed';
    default:
      // Before any news: connecting. Later (connecting, handshaking, suspended): whatever the
      // last news was, never "online".
      return step.index === 0 ? 'connecting…' : /^(?!online$)/;
  }
}

/** Starts the app on the model's in-memory server and clock; `inspect` lets the model find the link. */
function startBanner({ url, options, transport, clock, inspect }: LinkModelEnvironment) {
  const { machine } = createBannerMachine(url, options, { transport, clock });
  return createActor(machine, { clock, inspect }).start();
}

describe('the banner app, along every path of its link', () => {
  // The app issues no commands itself: only the network and time act on the link.
  const model = createLinkTestModel({ handshake: true, heartbeat: true, commands: false, intensity: false });

  for (const path of model.paths()) {
    it(path.description, () =>
      path.run({
        start: startBanner,
        check: (app, step) => {
          const expected = expectedBanner(step);
          if (typeof expected === 'string') expect(app.getSnapshot().context.banner).toBe(expected);
          else expect(app.getSnapshot().context.banner).toMatch(expected);
        },
        stop: (app) => app.stop(),
      }),
    );
  }
});
