/**
 * Writes the inspector page's script, bundled, next to the compiled inspector
 * (dist/src/inspector/client.bundle.js), so an installed package needs no esbuild. Run by
 * `npm run build` after tsc. From source the inspector bundles the same entry in memory instead
 * (src/inspector/client-bundle.ts).
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions } from '../src/inspector/client-bundle.js';

const entry = fileURLToPath(new URL('../src/inspector/page/client.ts', import.meta.url));
const outfile = fileURLToPath(new URL('../dist/src/inspector/client.bundle.js', import.meta.url));
mkdirSync(fileURLToPath(new URL('../dist/src/inspector/', import.meta.url)), { recursive: true });
const result = await build({ ...bundleOptions(entry), outfile, metafile: true });
const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
console.log(`inspector page script: ${outfile} (${Math.round(bytes / 1024)} KB)`);
