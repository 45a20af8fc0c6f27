/**
 * Where the storm's "last drop noticed" goes, per client process: the storm of bench/storm-bench.ts
 * (`links` in 4 processes of bench/storm-client.ts, a `hold` server that restarts once) for the
 * contenders asked, printing for each process when its first and its last link noticed the drop
 * (ms after the restart began), its CPU from `watch` to its last drop, and the attempts it made
 * before its last drop. `--base <dir>`: the same storm with that tree's storm-client.ts too (e.g.
 * `git archive main | tar -x -C node_modules/.cache/base`), base and this alternating round by
 * round (order reversed every other round); `--aa <dir>` a second copy of the base, for an A/A. `--profile <dir>`: each process writes its CPU
 * profile from `watch` to its last drop there (read with bench/profile-by-package.ts).
 *
 *   node --import tsx bench/storm-probe.ts [--rounds 3] [--links 1000] [--jitter none|default]
 *     [--contenders linkvisor,partysocket] [--base <dir>] [--aa <dir>] [--profile <dir>]
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { BENCH_DIR, CHILD_BUILD, startChild, startServer } from './child.js';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? (argv[at + 1] ?? fallback) : fallback;
};
const rounds = Number(opt('rounds', '3'));
const links = Number(opt('links', '1000'));
const jitter = opt('jitter', 'none');
const contenders = opt('contenders', 'linkvisor').split(',');
const base = opt('base', '');
const profileDir = opt('profile', '');
const PROCESSES = 4;
const DOWN_MS = 500;
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

const cache = path.join(BENCH_DIR, '..', 'node_modules', '.cache', 'storm-probe');
const trees: Record<string, string> = { this: path.join(BENCH_DIR, '..') };
if (base) trees.base = path.resolve(base);
// `--aa <dir>`: a second copy of the base tree, for the A/A.
const aa = opt('aa', '');
if (aa) trees.aa = path.resolve(aa);
const files = Object.fromEntries(
  Object.entries(trees).map(([name, tree]) => {
    const outfile = path.join(cache, `${name}-storm-client.mjs`);
    buildSync({ ...CHILD_BUILD, entryPoints: [path.join(tree, 'bench', 'storm-client.ts')], outfile });
    return [name, outfile];
  }),
);

interface Result {
  downAt: number[];
  attempts: number[];
  cpuToLastDownMs?: number | null;
}

async function storm(tree: string, contender: string, round: number): Promise<void> {
  const s = await startServer('hold');
  const clients = Array.from({ length: PROCESSES }, (_, i) => {
    const env = profileDir ? path.join(profileDir, `${tree}-${contender}-r${round}-p${i}.cpuprofile`) : '';
    if (env) process.env.LV_STORM_PROFILE = env;
    const child = startChild(files[tree] as string, [contender, s.url, String(links / PROCESSES), jitter]);
    delete process.env.LV_STORM_PROFILE;
    return child;
  });
  for (const client of clients) await client.next('ready', 120_000);
  for (const client of clients) client.send({ type: 'watch' });
  for (const client of clients) await client.next('watching', 10_000);
  const loadAt = load();
  s.child.send({ type: 'restart', downMs: DOWN_MS });
  const { at } = await s.child.next<{ at: number }>('restarted', 10_000);
  const results = await Promise.all(clients.map((client) => client.next<Result>('result', 90_000)));
  for (const client of clients) await client.stop();
  await s.child.stop();
  const rel = (t: number) => Math.round(t - at);
  const per = results.map((r) => {
    const last = Math.max(...r.downAt);
    return {
      first: rel(Math.min(...r.downAt)),
      /** When a tenth, half and nine tenths of the process's links had noticed. */
      p10p50p90: [0.1, 0.5, 0.9].map((q) =>
        rel([...r.downAt].sort((a, b) => a - b)[Math.floor(q * (r.downAt.length - 1))] as number),
      ),
      last: rel(last),
      cpu:
        r.cpuToLastDownMs === undefined || r.cpuToLastDownMs === null ? null : Math.round(r.cpuToLastDownMs),
      attemptsBefore: r.attempts.filter((t) => t <= last).length,
    };
  });
  const lastAll = Math.max(...per.map((p) => p.last));
  console.log(JSON.stringify({ round, tree, contender, jitter, load: loadAt, lastMs: lastAll, per }));
}

if (profileDir) mkdirSync(profileDir, { recursive: true });
const names = Object.keys(trees);
for (let round = 1; round <= rounds; round++) {
  // Each tree first in turn (rotated every round), reversed every other round.
  const rotated = names.map((_, i) => names[(i + round) % names.length] as string);
  const order = round % 2 ? rotated : [...rotated].reverse();
  for (const contender of contenders) for (const tree of order) await storm(tree, contender, round);
}
process.exit(0);
