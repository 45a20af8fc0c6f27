/**
 * The charts' descriptions left out of the browser bundles (scripts/chart-descriptions.mjs): what
 * the rewrite removes and what it leaves, that the charts the bundles carry are the Node charts
 * but for their descriptions (same states, transitions, guards, actions, delays, tags, meta), and
 * that Node, where the inspector and the model tests run, still has every description.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { connectionChart, connectionMachine } from '../../machines/connection.machine.js';
import { shardMachine } from '../../machines/shard.machine.js';
import { socketMachine } from '../../machines/socket.machine.js';
import { watcherMachine } from '../../machines/watcher.machine.js';
import { BROWSER_BUILD, BROWSER_ENTRIES, measureBundle, ROOT } from '../../scripts/browser-bundles.mjs';
import { withoutDescriptions } from '../../scripts/chart-descriptions.mjs';

const chartFile = path.join(ROOT, 'machines', 'probe.machine.ts');
const rewrite = (source: string) => withoutDescriptions(chartFile, source) ?? source;

/** A chart's definition as JSON, without its descriptions when `plain`. */
const definition = (machine: { toJSON(): unknown }, plain: boolean) =>
  JSON.parse(
    JSON.stringify(machine.toJSON(), (key, value) => (plain && key === 'description' ? undefined : value)),
  );

const temp = mkdtempSync(path.join(tmpdir(), 'lv-chart-descriptions-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe("the charts' descriptions in the browser bundles", () => {
  it('removes text-only descriptions with their commas, and nothing else', () => {
    const out = rewrite(`
      const graceFor = 'pong';
      export const chart = {
        description: 'a chart',
        states: {
          a: { description: \`late \${graceFor}.\`, on: { go: { target: 'b', description: 'one' + ' two' } } },
          b: { meta: { note: 1 }, description: "last" },
          c: { description: describe('computed'), tags: ['kept'] },
          d: { description: 'alone', },
          e: { description: 'commented' /* why */, type: 'final' },
          f: { entry: 'x', description: 'trailing' },
        },
      };`);
    expect(out).not.toMatch(/a chart|late|one|two|"last"/);
    expect(out).toContain("const graceFor = 'pong';");
    expect(out.replace(/\s+/g, ' ')).toContain(
      "a: { on: { go: { target: 'b' } } }, b: { meta: { note: 1 } },",
    );
    expect(out).toContain("description: describe('computed')");
    expect(out.replace(/\s+/g, ' ')).toContain("d: { }, e: { type: 'final' }, f: { entry: 'x' },");
    expect(out).not.toMatch(/alone|commented|trailing/);
    expect(
      withoutDescriptions(path.join(ROOT, 'src', 'probe.ts'), "const a = { description: 'kept' };"),
    ).toBeNull();
    expect(withoutDescriptions(chartFile, 'const a = 1;')).toBeNull();
  });

  it('bundles the same charts, without their descriptions, and Node keeps them', async () => {
    const entry = path.join(temp, 'charts.ts');
    writeFileSync(
      entry,
      [
        `export { connectionChart, connectionMachine } from ${JSON.stringify(path.join(ROOT, 'machines', 'connection.machine.ts'))};`,
        `export { socketMachine } from ${JSON.stringify(path.join(ROOT, 'machines', 'socket.machine.ts'))};`,
        `export { shardMachine } from ${JSON.stringify(path.join(ROOT, 'machines', 'shard.machine.ts'))};`,
        `export { watcherMachine } from ${JSON.stringify(path.join(ROOT, 'machines', 'watcher.machine.ts'))};`,
      ].join('\n'),
    );
    const outfile = path.join(temp, 'charts.mjs');
    // xstate bundled in: the module runs on its own from the temporary folder.
    await build({
      ...BROWSER_BUILD,
      entryPoints: [entry],
      outfile,
      minify: true,
      nodePaths: [path.join(ROOT, 'node_modules')],
    });
    const bundled = await import(pathToFileURL(outfile).href);
    const node = { connectionChart, connectionMachine, socketMachine, shardMachine, watcherMachine };
    for (const [name, machine] of Object.entries(node)) {
      const text = JSON.stringify(definition(machine, false));
      expect(text, `${name} in Node has its descriptions`).toContain('"description":');
      expect(definition(bundled[name], false), name).toEqual(definition(machine, true));
    }
    expect(JSON.stringify(definition(connectionMachine, false))).toContain(
      'the one place that decides whether to retry',
    );
  });

  it('leaves every description out of the shipped bundles', async () => {
    for (const entry of Object.values(BROWSER_ENTRIES)) {
      const { text } = await measureBundle(entry, { withXstate: false });
      expect(text).not.toMatch(/description|the one place that decides whether to retry/);
    }
  });
});
