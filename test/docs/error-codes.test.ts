/**
 * Every error code is documented, and only real codes are: docs/errors.md's first table lists
 * exactly the library's `ERROR_CODES`, its second exactly the CLI's own; every `LV_ERR_*` literal
 * in src/ and machines/ (an error thrown, a reason's `errorCode`) is one of them, so a code a user
 * can meet cannot be left out of both; and every code the docs name exists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_ERROR_CODES } from '../../src/cli/usage-error.js';
import { ERROR_CODES } from '../../src/util/errors.js';
import { docFiles, ROOT, readDoc } from './markdown.js';

const CODE = /LV_ERR_[A-Z][A-Z0-9_]*/g;
const library = Object.keys(ERROR_CODES).sort();
const cli = Object.keys(CLI_ERROR_CODES).sort();

/** The codes of each table of docs/errors.md (rows starting with `| \`LV_ERR_…\` |`), in order. */
function documentedTables(): string[][] {
  const tables: string[][] = [];
  let current: string[] | null = null;
  for (const line of readDoc('docs/errors.md').split('\n')) {
    if (!line.startsWith('|')) {
      current = null;
      continue;
    }
    const code = /^\| `(LV_ERR_[A-Z0-9_]+)` \|/.exec(line)?.[1];
    if (!code) continue;
    if (!current) {
      current = [];
      tables.push(current);
    }
    current.push(code);
  }
  return tables;
}

/** Every source file under `dir` (from the repository root). */
function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|tsx|mts|js|mjs)$/.test(file))
    .map((file) => path.join(dir, file));
}

describe('error codes', () => {
  it('every LV_ERR_* literal in src/ and machines/ is a listed code, each documented in docs/errors.md; the docs name no other', () => {
    // docs/errors.md: the first table is the library's ERROR_CODES, the second the CLI's own.
    const [first = [], second = [], ...rest] = documentedTables();
    expect([...first].sort()).toEqual(library);
    expect([...second].sort()).toEqual(cli);
    expect(rest).toEqual([]);
    const known = new Set([...library, ...cli]);
    const unknown: string[] = [];
    const files = [...sources('src'), ...sources('machines')];
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      for (const [code] of readFileSync(path.join(ROOT, file), 'utf8').matchAll(CODE)) {
        if (!known.has(code)) unknown.push(`${file}: ${code}`);
      }
    }
    for (const file of docFiles()) {
      for (const [code] of readDoc(file).matchAll(CODE))
        if (!known.has(code)) unknown.push(`${file}: ${code}`);
    }
    expect(unknown).toEqual([]);
  });
});
