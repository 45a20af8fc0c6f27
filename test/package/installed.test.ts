/**
 * The package as a user gets it: `npm pack` (the `prepare` script builds dist/), the tarball
 * installed into an empty temporary project, and there: the quick start against a local ws
 * server on 127.0.0.1:0, `import` and `require` of every entry point, and `npx linkvisor --help`.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks, PLACEHOLDER_URL, readDoc, serveFlagsAbove } from '../docs/markdown.js';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every subpath of the exports map that is code (not package.json). */
async function entryPoints(): Promise<string[]> {
  const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, unknown>;
  };
  return Object.keys(pkg.exports)
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? 'linkvisor' : `linkvisor/${key.slice(2)}`));
}

const QUICK_START = `
import { WebSocketServer } from 'ws';
import { createSupervisor } from 'linkvisor';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise((resolve) => server.once('listening', resolve));
server.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
const { port } = server.address();

const supervisor = createSupervisor();
const link = supervisor.connect(\`ws://127.0.0.1:\${port}/\`);
const echoed = new Promise((resolve) => link.on('message', (data) => resolve(String(data))));
await link.ready();
link.send('hello');
console.log('state', link.state, 'echo', await echoed);
await supervisor.close();
await new Promise((resolve) => server.close(resolve));
`;

// The inspector's charts, laid out by elkjs in a worker thread that must find elkjs from the
// installed package (followed with async_hooks: one worker started, none left after close()).
const INSPECTOR_CHARTS = `
import { createHook } from 'node:async_hooks';
import WebSocket from 'ws';
import { createSupervisor } from 'linkvisor';
import { createInspector, startInspector } from 'linkvisor/inspector';

const live = new Set();
let started = 0;
createHook({
  init(id, type) {
    if (type === 'WORKER') (started++, live.add(id));
  },
  destroy(id) {
    live.delete(id);
  },
}).enable();
process.on('exit', () => console.log('workers started', started, 'left', live.size));

const inspector = createInspector();
const supervisor = createSupervisor({ inspect: inspector.inspect });
const server = await startInspector(supervisor, { inspector, warn: (m) => console.log('warned', m) });
const watcher = supervisor.watch({ name: 'db', probe: () => {} });
const url = new URL(server.url);
const page = new WebSocket(\`ws://\${url.host}/ws\${url.search}\`);
const hello = await new Promise((resolve) =>
  page.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type === 'hello') resolve(message);
  }),
);
for (const chart of hello.charts) console.log('chart', chart.key, chart.states.length, chart.edges.length);
page.close();
watcher.stop();
await server.close();
await supervisor.close();
`;

describe('the packed package, installed into an empty project', () => {
  let project: string;
  let entries: string[];

  beforeAll(async () => {
    entries = await entryPoints();
    project = await mkdtemp(path.join(tmpdir(), 'linkvisor-installed-'));
    const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', project], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    const tarball = stdout.trim().split('\n').pop() as string;
    await writeFile(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'uses-linkvisor', private: true, type: 'module' }),
    );
    // ws for the quick start's server, as a user's app would have it; @opentelemetry/api and react
    // are the optional peer dependencies of linkvisor/otel and linkvisor/react; a TypeScript user
    // of Node 20 and React has @types/node and @types/react (React ships no types of its own).
    const alongside = ['ws', '@opentelemetry/api', 'react', '@types/node@20', '@types/react'];
    await run('npm', ['install', '--no-audit', '--no-fund', path.join(project, tarball), ...alongside], {
      cwd: project,
      maxBuffer: 16 * 1024 * 1024,
    });
  });

  afterAll(async () => {
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('runs the quick start against a local server', async () => {
    await writeFile(path.join(project, 'quick-start.mjs'), QUICK_START);
    const { stdout } = await run(process.execPath, ['quick-start.mjs'], { cwd: project, timeout: 30_000 });
    expect(stdout).toContain('state ready echo hello');
  });

  it("runs the README's quick start as pasted: linkvisor serve with its flags, then the block as an .mjs file", async () => {
    const readme = readDoc('README.md');
    const block = codeBlocks('README.md', readme).find((b) => b.lang === 'ts' && b.attrs.includes('run'));
    if (!block) throw new Error('README.md has no ```ts run block');
    // The installed bin itself (what `npx linkvisor` runs), so a signal reaches the server's process.
    const bin = path.join(project, 'node_modules/.bin/linkvisor');
    const serve = spawn(bin, ['serve', ...serveFlagsAbove(readme, block.line)], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => serve.once('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`serve printed no URL: ${out}`)), 60_000);
        serve.stdout.on('data', (chunk: Buffer) => {
          out += chunk;
          const match = /^(ws:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
          if (match) {
            clearTimeout(timer);
            resolve(match[1] as string);
          }
        });
      });
      await writeFile(path.join(project, 'quick-start-readme.mjs'), block.code.replace(PLACEHOLDER_URL, url));
      const { stdout } = await run(process.execPath, ['quick-start-readme.mjs'], {
        cwd: project,
        timeout: 60_000,
      });
      expect(stdout).toMatch(/^idle → connecting\n(?:.*\n)*echo: hello\n(?:.*\n)*\w+ → closed\n$/);
    } finally {
      if (serve.exitCode === null && serve.signalCode === null) serve.kill('SIGINT');
      expect(await exited, 'serve ends with 0 on SIGINT').toBe(0);
    }
  });

  it("lays out the inspector's charts in a worker thread, and leaves nothing running after close()", async () => {
    await writeFile(path.join(project, 'inspector-charts.mjs'), INSPECTOR_CHARTS);
    const { stdout } = await run(process.execPath, ['inspector-charts.mjs'], {
      cwd: project,
      timeout: 60_000,
    });
    expect(stdout).not.toContain('warned');
    expect(stdout).toMatch(/^chart watcher [1-9]\d* [1-9]\d*$/m);
    expect(stdout).toMatch(/^workers started 1 left 0$/m);
  });

  it('imports every entry point', async () => {
    const script = `for (const e of ${JSON.stringify(entries)}) { const m = await import(e); console.log(e, Object.keys(m).length); }`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: project });
    for (const entry of entries) expect(stdout).toMatch(new RegExp(`^${entry} [1-9]`, 'm'));
  });

  it('requires every entry point (Node 20.19+ loads the ES modules through require)', async () => {
    const script = `for (const e of ${JSON.stringify(entries)}) { const m = require(e); console.log(e, Object.keys(m).length); }`;
    const { stdout } = await run(process.execPath, ['--no-warnings', '-e', script], { cwd: project });
    for (const entry of entries) expect(stdout).toMatch(new RegExp(`^${entry} [1-9]`, 'm'));
  });

  it('linkvisor/server gives resumable() and memoryStore()', async () => {
    const script = `const m = await import('linkvisor/server'); console.log(typeof m.resumable, typeof m.memoryStore);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: project });
    expect(stdout.trim()).toBe('function function');
  });

  it('runs the command line: npx linkvisor --help', async () => {
    const { stdout } = await run('npx', ['--no-install', 'linkvisor', '--help'], { cwd: project });
    expect(stdout).toMatch(/linkvisor connect/);
  });

  it('its shipped types compile in a Node project: no DOM lib, skipLibCheck off, strict', async () => {
    // What a Node service's tsconfig often is: lib without "DOM", every .d.ts checked. The types
    // must name no DOM-only global and must find the `ws` types they import (@types/ws comes with
    // the package). Before: 4 errors in the drop-in's event target, 1 in the React hook (DOM's CloseEvent), 3 TS7016 for 'ws'.
    const imports = entries.map((entry, i) => `import * as entry${i} from '${entry}';`);
    await writeFile(
      path.join(project, 'types-check.ts'),
      `${imports.join('\n')}\nexport const all = [${entries.map((_, i) => `entry${i}`).join(', ')}];\n`,
    );
    await writeFile(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023'],
          types: ['node'],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        files: ['types-check.ts'],
      }),
    );
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], {
      cwd: project,
      timeout: 120_000,
    }).then(
      () => 'compiled',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe('compiled');
  });
});
