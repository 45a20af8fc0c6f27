/**
 * The differential test: the scenarios of scenarios.ts run against partysocket 1.3.0,
 * reconnecting-websocket 4.4.0 and linkvisor/ws (one child process each, loopback servers on port
 * 0), and every difference between a peer's recording and ours must be explained: by a normalizer
 * or an allowed (peer, scenario, field) entry, each pointing at a reason in docs/migration.md.
 * The table of differences is printed on every run. Stale entries fail the test as well.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALLOWED, type Allowed, allowedFor, NORMALIZERS, type ReasonId } from './allow-list.js';
import { type Difference, differences, formatTable, type Peer, type Results } from './compare.js';
import { SCENARIOS } from './scenarios.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

interface Run {
  results: Results;
  /** Uncaught errors outside every scenario (run-scenarios.ts). */
  stray: string[];
}

function runAgainst(implementation: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'run-scenarios.ts'), implementation],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => {
      stdout += String(chunk);
    });
    child.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    // `close`, not `exit`: the JSON result is the last line of stdout, which can be read after the
    // exit is seen on a busy host; `close` comes once stdout and stderr were read to their end.
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        const parsed = JSON.parse(last) as Run;
        resolve({ results: parsed.results, stray: parsed.stray });
      } catch {
        reject(
          new Error(
            `${implementation}: exit ${code}, no JSON result\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`,
          ),
        );
      }
    });
  });
}

function normalized(results: Results, peer: Peer, side: 'theirs' | 'ours', used: Set<string>): Results {
  const out: Results = {};
  for (const [scenario, recording] of Object.entries(results)) {
    let current = recording;
    for (const normalizer of NORMALIZERS) {
      if (!normalizer.peers.includes(peer)) continue;
      const next = normalizer.apply(current, side);
      if (JSON.stringify(next) !== JSON.stringify(current)) used.add(normalizer.id);
      current = next;
    }
    out[scenario] = current;
  }
  return out;
}

const key = (a: Pick<Allowed, 'peer' | 'scenario' | 'field'>) => `${a.peer} · ${a.scenario} · ${a.field}`;

describe('drop-in: differential against partysocket 1.3.0 and reconnecting-websocket 4.4.0', () => {
  it('every difference from either peer is explained in docs/migration.md', {
    timeout: 200_000,
  }, async () => {
    const runs = await Promise.all([
      runAgainst('linkvisor'),
      runAgainst('partysocket'),
      runAgainst('reconnecting-websocket'),
    ]);
    // No uncaught error outside a scenario, in any of the three: it could be explained by none.
    expect(runs.map((run) => run.stray)).toEqual([[], [], []]);
    const [ours, partysocket, rws] = runs.map((run) => run.results) as [Results, Results, Results];
    const names = SCENARIOS.map((s) => s.name);
    for (const results of [ours, partysocket, rws]) expect(Object.keys(results)).toEqual(names);

    // Ours never crashes, never misses what a scenario waits for, never logs unasked.
    for (const [scenario, recording] of Object.entries(ours)) {
      expect({ scenario, crash: recording.crash }).toEqual({ scenario, crash: [] });
      expect({ scenario, timeouts: recording.events.filter((l) => l.startsWith('timeout')) }).toEqual({
        scenario,
        timeouts: [],
      });
    }

    const usedNormalizers = new Set<string>();
    const found: Difference[] = [];
    for (const [peer, theirs] of [
      ['partysocket', partysocket],
      ['reconnecting-websocket', rws],
    ] as const) {
      found.push(
        ...differences(
          peer,
          normalized(theirs, peer, 'theirs', usedNormalizers),
          normalized(ours, peer, 'ours', usedNormalizers),
        ),
      );
    }
    const reasonOf = (d: Difference) =>
      allowedFor(d)
        ?.reasons.map((r) => `migration.md#${r}`)
        .join(', ');
    const normalizerLines = NORMALIZERS.map(
      (n) => `  [${n.peers.join(', ')}] ${n.id} → migration.md#${n.reason}`,
    );
    console.log(
      `Normalized before comparing:\n${normalizerLines.join('\n')}\n\n${formatTable(found, reasonOf)}`,
    );

    expect(found.filter((d) => !allowedFor(d)).map(key)).toEqual([]);
    const seen = new Set(found.map(key));
    expect(ALLOWED.filter((a) => !seen.has(key(a))).map(key)).toEqual([]);
    expect(NORMALIZERS.filter((n) => !usedNormalizers.has(n.id)).map((n) => n.id)).toEqual([]);

    // Every reason is a row of docs/migration.md's table (an explicit anchor).
    const doc = readFileSync(path.join(root, 'docs/migration.md'), 'utf8');
    const reasons = new Set<ReasonId>([
      ...ALLOWED.flatMap((a) => a.reasons),
      ...NORMALIZERS.map((n) => n.reason),
    ]);
    expect([...reasons].filter((id) => !doc.includes(`<a id="${id}"></a>`))).toEqual([]);
  });
});
