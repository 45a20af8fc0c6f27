// Mutation testing of an application machine that spawns a link (createBannerMachine in
// examples/app-machine.ts; not its command-line part), judged by the generated lifecycle paths of
// linkvisor/testing (examples/banner.model.test.ts) and its test against a real ws server.
// Run: npx stryker run examples/mutation/stryker.config.mjs   (docs/mutation-testing.md shows
// the same configuration standing alone, for an application's own repository)
import base from '../../stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { configFile: 'examples/mutation/vitest.config.ts' },
  mutate: ['examples/app-machine.ts:13-46'],
  thresholds: { high: 95, low: 90, break: 90 },
  incremental: false,
  reporters: ['clear-text', 'progress'],
  tempDirName: '.stryker-tmp-example',
};
