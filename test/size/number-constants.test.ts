/**
 * Number's constants written as their values in the browser bundles (scripts/browser-bundles.mjs,
 * esbuild's `define`): the global `Number`'s POSITIVE_INFINITY and MAX_SAFE_INTEGER become
 * `Infinity` and 9007199254740991, the same values, while a local binding named `Number` keeps its
 * own properties; and no shipped bundle spells either constant out any more.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { BROWSER_BUILD, BROWSER_ENTRIES, measureBundle } from '../../scripts/browser-bundles.mjs';

const temp = mkdtempSync(path.join(tmpdir(), 'lv-number-constants-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('browser build: Number constants', () => {
  it('gives the global constants their values and leaves a local Number alone', async () => {
    const entry = path.join(temp, 'constants.ts');
    writeFileSync(
      entry,
      [
        'export const infinity = Number.POSITIVE_INFINITY;',
        'export const maxSafe = Number.MAX_SAFE_INTEGER;',
        'export function local() {',
        '  const Number = { POSITIVE_INFINITY: 1, MAX_SAFE_INTEGER: 2 };',
        '  return [Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER];',
        '}',
      ].join('\n'),
    );
    const outfile = path.join(temp, 'constants.mjs');
    await build({ ...BROWSER_BUILD, entryPoints: [entry], outfile, minify: true });
    const bundled = await import(pathToFileURL(outfile).href);
    expect(bundled.infinity).toBe(Number.POSITIVE_INFINITY);
    expect(bundled.maxSafe).toBe(Number.MAX_SAFE_INTEGER);
    expect(bundled.local()).toEqual([1, 2]);
  });

  it('leaves neither constant spelt out in the shipped bundles', async () => {
    for (const entry of Object.values(BROWSER_ENTRIES)) {
      const { text } = await measureBundle(entry, { withXstate: false });
      expect(text).not.toMatch(/Number\.(POSITIVE_INFINITY|MAX_SAFE_INTEGER)/);
    }
  });
});
