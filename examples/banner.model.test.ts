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

/** What the banner must say in each link state. */
function expectedBanner(step: LinkModelStep): RegExp {
  switch (step.state) {
    case 'ready':
      return /^online$/;
    case 'reconnecting':
      return /^reconnecting in \d+\.\d s \(attempt \d+\)$/;
    case 'failed':
      return /^offline: /;
    case 'closed':
      return /^closed$/;
    default:
      // connecting, handshaking, suspended: whatever the last news was, never "online".
      return /^(?!online$)/;
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
        check: (app, step) => expect(app.getSnapshot().context.banner).toMatch(expectedBanner(step)),
        stop: (app) => app.stop(),
      }),
    );
  }
});
