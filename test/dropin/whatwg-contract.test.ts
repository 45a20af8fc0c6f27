/**
 * The drop-in against the WHATWG WebSocket, side by side with the peers: the probes of
 * whatwg/run-whatwg.ts run (one child process each, `--experimental-websocket`, ws servers on
 * 127.0.0.1 port 0) against Node's own WHATWG `WebSocket` (the reference), partysocket 1.3 and
 * reconnecting-websocket 4.4 on that same class (as in a browser), and linkvisor/ws on its `ws`
 * transport and on that class. Every observation of ours must be the WebSocket's, except the few
 * in DELIBERATE, each a difference docs/migration.md explains, allowed only where the peers do not
 * both agree with the WebSocket (where they do, ours must too), and those in STANDARD, where Node's
 * WebSocket is not the standard (ours must be the standard). The table is printed on every run.
 * The differential test (./differential/) compares the reconnecting behaviour itself.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IMPLEMENTATIONS, type Implementation } from './whatwg/run-whatwg.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

interface Run {
  observations: Record<string, string>;
  stray: string[];
}

/** Observations where ours follows the peers instead of the WebSocket, with the reason's anchor. */
const DELIBERATE: Record<string, { anchor: string; ours: string }> = {
  // WHATWG: an on… handler runs where it was first set among the listeners; theirs and ours first.
  'listener added before onopen was set runs': { anchor: 'handler-first', ours: 'onopen then listener' },
  'dispatchEvent(open) runs': { anchor: 'handler-first', ours: 'onopen then listener' },
  // A WebSocket throws InvalidStateError; theirs and ours buffer the message until open.
  'send() while CONNECTING': { anchor: 'send-buffers', ours: 'returned' },
  // close() dispatches its close event before it returns (partysocket; a WebSocket is CLOSING).
  'readyState right after close()': { anchor: 'sync-close', ours: '3' },
};

/** Where Node's WebSocket (undici 6 in Node 20) is not the standard, the standard's observation. */
const STANDARD: Record<string, { why: string; observation: string }> = {
  'refused: events': {
    why: 'failing the connection fires error, then close 1006 (not clean); undici 6 fires no close',
    observation: 'error, close 1006 wasClean=false',
  },
};

function run(implementation: Implementation): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--experimental-websocket',
        '--import',
        'tsx',
        path.join(here, 'whatwg/run-whatwg.ts'),
        implementation,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    // `close`, not `exit`: the JSON result is the last line of stdout, which can be read after the
    // exit is seen on a busy host; `close` comes once stdout and stderr were read to their end.
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as Run);
      } catch {
        reject(
          new Error(
            `${implementation}: exit ${code}, no result\n${stdout.slice(-1500)}\n${stderr.slice(-1500)}`,
          ),
        );
      }
    });
  });
}

describe('drop-in: the WHATWG WebSocket, side by side with partysocket and reconnecting-websocket', () => {
  it('ours observes what a WebSocket does, except the differences docs/migration.md explains', {
    timeout: 120_000,
  }, async () => {
    const runs = await Promise.all(IMPLEMENTATIONS.map(run));
    const by = Object.fromEntries(IMPLEMENTATIONS.map((name, i) => [name, runs[i] as Run])) as Record<
      Implementation,
      Run
    >;
    const keys = Object.keys(by.native.observations);
    const rows = keys.map((key) => [
      key,
      ...IMPLEMENTATIONS.map((name) => by[name].observations[key] ?? '—'),
    ]);
    console.log(`${['', ...IMPLEMENTATIONS].join(' | ')}\n${rows.map((row) => row.join(' | ')).join('\n')}`);

    expect(by.native.stray).toEqual([]);
    expect(by.linkvisor.stray).toEqual([]);
    expect(by['linkvisor-native'].stray).toEqual([]);
    expect(keys.length).toBeGreaterThan(15); // every probe ran on the reference
    for (const ours of ['linkvisor', 'linkvisor-native'] as const) {
      const expected = Object.fromEntries(
        keys.map((key) => [
          key,
          DELIBERATE[key]?.ours ?? STANDARD[key]?.observation ?? by.native.observations[key],
        ]),
      );
      expect({ ours, observations: by[ours].observations }).toEqual({ ours, observations: expected });
    }
    // A correction of the reference that it no longer needs is stale.
    for (const [key, { observation }] of Object.entries(STANDARD)) {
      expect({ key, native: by.native.observations[key] }).not.toEqual({ key, native: observation });
    }
    const doc = readFileSync(path.join(root, 'docs/migration.md'), 'utf8');
    for (const [key, { anchor, ours }] of Object.entries(DELIBERATE)) {
      const native = by.native.observations[key];
      const peersAgreeWithIt =
        by.partysocket.observations[key] === native &&
        by['reconnecting-websocket'].observations[key] === native;
      // Not stale, not where the peers and the WebSocket agree, and explained.
      expect({
        key,
        stale: ours === native,
        peersAgreeWithIt,
        explained: doc.includes(`<a id="${anchor}"></a>`),
      }).toEqual({
        key,
        stale: false,
        peersAgreeWithIt: false,
        explained: true,
      });
    }
  });
});
