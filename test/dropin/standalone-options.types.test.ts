/**
 * A standalone link (the drop-in's, src/runtime/standalone-links.ts) runs `connectionChart`, the
 * connection chart without its feature slots: no `disconnected → failed` branch for an intensity
 * whose `then` is `'fail'` (machines/connection-feature-states.ts `fails`). Its options' type says
 * so: `intensity.then: 'fail'` is refused by the compiler (such a link would cool down instead of
 * failing, silently). Checked by `npx tsc --noEmit` (npm run typecheck); the runtime assertion only
 * keeps the test honest.
 */
import { describe, expect, it } from 'vitest';
import type { StandaloneLinkOptions } from '../../src/runtime/standalone-links.js';

describe('standalone link options: only what connectionChart runs', () => {
  it('an intensity that cools down or is off is accepted; one that fails is not', () => {
    const coolsDown: StandaloneLinkOptions = {
      // biome-ignore lint/suspicious/noThenProperty: the option is named `then`
      intensity: { maxRestarts: 3, then: 'cool-down' },
    };
    const off: StandaloneLinkOptions = { intensity: false };
    const fails: StandaloneLinkOptions = {
      // @ts-expect-error connectionChart has no failing intensity (a slot of connectionMachine only)
      // biome-ignore lint/suspicious/noThenProperty: the option is named `then`
      intensity: { then: 'fail' },
    };
    expect([coolsDown, off, fails]).toHaveLength(3);
  });
});
