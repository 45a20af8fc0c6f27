/**
 * The house limit of a source file: 400 lines (DESIGN.md §5: a longer file holds two concerns).
 * Every TypeScript file under src/ and machines/ is read and counted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const MAX_LINES = 400;
const root = join(import.meta.dirname, '..', '..');

/** Every .ts file under `dir`, as paths relative to the repository. */
function tsFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('source files stay within the house limit', () => {
  it(`no file under src/ or machines/ is longer than ${MAX_LINES} lines`, () => {
    const long = [...tsFiles('src'), ...tsFiles('machines')]
      .map((path) => ({ path, lines: readFileSync(join(root, path), 'utf8').trimEnd().split('\n').length }))
      .filter((file) => file.lines > MAX_LINES);
    expect(long).toEqual([]);
  });
});
