#!/usr/bin/env node
/**
 * Launcher of the `linkvisor` command (package.json "bin"). In a development checkout (src/ is
 * there) it runs the TypeScript source through tsx, so it works right after `npm install`; in an
 * installed package it runs the build in dist/. The exit code is main()'s.
 */
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const built = new URL('../dist/src/cli/main.js', import.meta.url);

async function load() {
  if (existsSync(source)) {
    try {
      const { register } = await import('tsx/esm/api');
      register();
      return await import(source.href);
    } catch (error) {
      if (!existsSync(built)) throw error;
    }
  }
  if (existsSync(built)) return import(built.href);
  process.stderr.write('linkvisor: neither src/cli nor dist/src/cli found; run `npm run build`\n');
  process.exit(2);
}

const { main } = await load();
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Everything is closed by now; if a stray handle lingers, do not hang the terminal on it.
setTimeout(() => process.exit(code), 2_000).unref();
