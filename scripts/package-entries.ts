/**
 * The package's entries as source files: import specifier (`linkvisor`, `linkvisor/ws`…) → the
 * TypeScript file it is built from, read from the exports map of package.json (its `types`,
 * `./dist/X.d.ts`, is built from `X.ts`). Used by the API reference (scripts/docs-api.ts) and the
 * documentation tests (test/docs/).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function packageEntries(root = ROOT): Map<string, string> {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { types?: string }>;
  };
  const entries = new Map<string, string>();
  for (const [key, target] of Object.entries(pkg.exports)) {
    const types = typeof target === 'string' ? undefined : target.types;
    if (!types) continue;
    const source = types.replace(/^\.\/dist\//, '').replace(/\.d\.ts$/, '.ts');
    entries.set(key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`, source);
  }
  return entries;
}
