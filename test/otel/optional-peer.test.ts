/**
 * @opentelemetry/api stays optional: only linkvisor/otel imports it (every other entry loads
 * without it), it is an optional peer dependency, and the SDK packages are for development only.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

describe('linkvisor/otel: @opentelemetry/api is optional', () => {
  it('no file outside src/otel/ imports an @opentelemetry package', async () => {
    const files = [...(await sourceFiles('src')), ...(await sourceFiles('machines'))];
    const importing: string[] = [];
    for (const file of files) {
      if (/from '@opentelemetry\//.test(await readFile(path.join(ROOT, file), 'utf8'))) importing.push(file);
    }
    expect(importing.length).toBeGreaterThan(0);
    expect(importing.filter((file) => !file.startsWith(`src${path.sep}otel${path.sep}`))).toEqual([]);
  });

  it('package.json: an optional peer, the SDK only in devDependencies, an ./otel export', async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.peerDependencies['@opentelemetry/api']).toMatch(/^\^1\./);
    expect(pkg.peerDependenciesMeta['@opentelemetry/api']).toEqual({ optional: true });
    const runtime = Object.keys(pkg.dependencies ?? {});
    expect(runtime.filter((name) => name.startsWith('@opentelemetry/'))).toEqual([]);
    expect(Object.keys(pkg.devDependencies)).toEqual(
      expect.arrayContaining(['@opentelemetry/api', '@opentelemetry/sdk-metrics']),
    );
    expect(pkg.exports['./otel']).toEqual({
      types: './dist/src/otel/index.d.ts',
      import: './dist/src/otel/index.js',
      default: './dist/src/otel/index.js',
    });
  });
});
