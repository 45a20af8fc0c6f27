/**
 * `npm run test:browser`: the inspector page, the drop-in and linkvisor/react in a real headless
 * Chromium (Debian's `chromium`, driven by playwright-core). Not part of `npm test`, which stays
 * Node-only. Two projects: `chromium` runs every browser test with the devDependencies (React 19);
 * `react18` runs the React pages again on React 18.3 (the peer range is `react >=18`), installed in
 * test/browser/react18 by the `pretest:browser` script (`npm ci` there: its own lock).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const REACT_18 = fileURLToPath(new URL('./react18/node_modules', import.meta.url));

export default defineConfig({
  test: {
    testTimeout: 90_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
    projects: [
      { extends: true, test: { name: 'chromium', include: ['test/browser/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'react18', include: ['test/browser/react*.test.ts'], env: { REACT_DIR: REACT_18 } },
      },
    ],
  },
});
