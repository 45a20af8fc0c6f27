/**
 * Runs a bench script compiled as bench/child.ts compiles its children (esbuild, no `keepNames`,
 * dependencies from node_modules, NODE_ENV=production): numbers without the tsx loader's `__name`
 * calls. Node flags come before the script's name, its own arguments after:
 *
 *   node --import tsx bench/compiled.ts [--trace-deopt …] profile-drop.ts 250 --again --no-profile
 *
 * The script finds the bench folder through LV_BENCH_DIR (its own file lives elsewhere).
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { BENCH_DIR, CHILD_BUILD } from './child.js';

const argv = process.argv.slice(2);
const at = argv.findIndex((arg) => arg.endsWith('.ts'));
if (at < 0) throw new Error('usage: compiled.ts [node flags] <bench script>.ts [its arguments]');
const script = argv[at] as string;
const outDir = path.join(BENCH_DIR, '..', 'node_modules', '.cache', 'compiled-bench');
mkdirSync(outDir, { recursive: true });
const outfile = path.join(outDir, path.basename(script).replace(/\.ts$/, '.mjs'));
buildSync({ ...CHILD_BUILD, entryPoints: [path.resolve(BENCH_DIR, path.basename(script))], outfile });
const child = spawn(process.execPath, [...argv.slice(0, at), outfile, ...argv.slice(at + 1)], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production', LV_BENCH_DIR: BENCH_DIR },
});
child.on('exit', (code) => process.exit(code ?? 1));
