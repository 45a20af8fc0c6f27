/**
 * The house limit of a source file: 400 lines (DESIGN.md §5: a longer file holds two concerns).
 * Every TypeScript file (.ts, .tsx) under src/, machines/, test/, bench/, scripts/ and examples/ is
 * read and counted: tests and benchmarks are read as often as the code they exercise.
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
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('source files stay within the house limit', () => {
  it(`no TypeScript file of the project is longer than ${MAX_LINES} lines`, () => {
    const long = ['src', 'machines', 'test', 'bench', 'scripts', 'examples']
      .flatMap((dir) => tsFiles(dir))
      .map((path) => ({ path, lines: readFileSync(join(root, path), 'utf8').trimEnd().split('\n').length }))
      .filter((file) => file.lines > MAX_LINES);
    expect(long).toEqual([]);
  });
});
