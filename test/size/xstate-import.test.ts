/**
 * One `import { … } from "xstate"` per browser bundle (scripts/xstate-import.mjs): the bundle
 * imports xstate once, with every function its modules' statements imported.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  BROWSER_BUILD,
  BROWSER_ENTRIES,
  PEERS,
  withOneXstateImport,
} from '../../scripts/browser-bundles.mjs';

async function bundle(entry: string, shared: boolean): Promise<string> {
  const options = { ...BROWSER_BUILD, entryPoints: [entry], external: PEERS, minify: true, write: false };
  const out = await build(shared ? await withOneXstateImport(options) : options);
  return out.outputFiles![0]!.text;
}

/** The xstate names a minified bundle imports, one entry per import statement. */
const xstateImports = (code: string) =>
  [...code.matchAll(/import\{([^}]*)\}from"xstate"/g)].map((m) =>
    m[1]!.split(',').map((binding) => binding.split(' as ')[0]!),
  );

describe('one import of xstate a browser bundle', () => {
  for (const name of ['ws', 'index', 'react'] as const) {
    it(`${name}: one statement, with every function the statements of each module import`, async () => {
      const apart = xstateImports(await bundle(BROWSER_ENTRIES[name], false));
      const shared = xstateImports(await bundle(BROWSER_ENTRIES[name], true));
      expect(apart.length).toBeGreaterThan(1);
      expect(shared).toHaveLength(1);
      // Every function the modules import (a name whose uses were all tree-shaken may stay too).
      expect(shared[0]).toEqual(expect.arrayContaining([...new Set(apart.flat())]));
    });
  }

  it('leaves a build with xstate bundled as it is', async () => {
    const options = { ...BROWSER_BUILD, external: ['react'] };
    expect(await withOneXstateImport(options)).toBe(options);
  });
});
