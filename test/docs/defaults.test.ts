/**
 * The defaults the docs' tables state are the ones machines/policy holds: docs/lifecycle.md's
 * policy table, docs/supervisor.md's restart intensity and network tables and docs/resume.md's
 * resume table and docs/migration.md's drop-in column, row by row (`| \`backoff.initialDelayMs\` | 1 000 | …`), read as numbers the way
 * they are written (`1 000`, `10,000`, `1 MiB`, `∞`) or as the name in backticks. Every default
 * of a page must have its row: a table whose header drifted is read as no table, not as agreeing.
 */
import { describe, expect, it } from 'vitest';
import { BACKOFF_DEFAULTS } from '../../machines/policy/backoff.js';
import { DROP_IN_DEFAULTS } from '../../machines/policy/drop-in.js';
import { HEARTBEAT_DEFAULTS } from '../../machines/policy/heartbeat.js';
import { DEGRADED_SHARE_DEFAULT, INTENSITY_DEFAULTS } from '../../machines/policy/intensity.js';
import { NETWORK_DEFAULTS, WAKE_COALESCE_MS } from '../../machines/policy/network.js';
import { QUEUE_DEFAULTS } from '../../machines/policy/queue.js';
import { RESUME_DEFAULTS } from '../../machines/policy/resume.js';
import { IO_TURN_MS, TIMEOUT_DEFAULTS } from '../../machines/policy/timeouts.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../../src/runtime/options.js';
import { readDoc } from './markdown.js';

const prefixed = (prefix: string, values: object) =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [`${prefix}${key}`, value]));

/** What each row's name (its first cell, backticks and a parenthesis after it removed) defaults to. */
const EXPECTED: Record<string, Record<string, unknown>> = {
  'docs/lifecycle.md': {
    ...prefixed('backoff.', BACKOFF_DEFAULTS),
    ...TIMEOUT_DEFAULTS,
    ...prefixed('heartbeat.', HEARTBEAT_DEFAULTS),
    IO_TURN_MS,
    ...prefixed('queue.', QUEUE_DEFAULTS),
    maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES,
  },
  'docs/supervisor.md': {
    ...prefixed('intensity.', INTENSITY_DEFAULTS),
    degradedShare: DEGRADED_SHARE_DEFAULT,
    ...prefixed('network.', NETWORK_DEFAULTS),
    'wake coalescing': WAKE_COALESCE_MS,
  },
  'docs/resume.md': RESUME_DEFAULTS,
};

/** A default as the docs write it: a number (`1 000`, `10,000`, `1 MiB`, `∞`) or a name in backticks. */
function documentedValue(cell: string): unknown {
  const text = cell.trim();
  if (text === '∞') return Number.POSITIVE_INFINITY;
  const mib = /^(\d+) MiB$/.exec(text);
  if (mib) return Number(mib[1]) * 1024 * 1024;
  const number = text.replace(/[ ,]/g, '');
  if (/^\d+(\.\d+)?$/.test(number)) return Number(number);
  return /^`([^`]+)`$/.exec(text)?.[1] ?? text;
}

/** The rows `| name | default | …` of every table of `text` whose header's second cell is `default`. */
function defaultRows(text: string): { name: string; value: unknown; line: string }[] {
  const rows: { name: string; value: unknown; line: string }[] = [];
  let inTable = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) {
      inTable = false;
      continue;
    }
    const cells = line.split(' | ').map((cell) => cell.replace(/^\| /, ''));
    if (/^(option|option \(.*\)) $/.test(`${cells[0]} `) && cells[1] === 'default') {
      inTable = true;
      continue;
    }
    if (!inTable || line.startsWith('|---')) continue;
    const name = (cells[0] ?? '').replace(/ \(.*\)$/, '').replace(/`/g, '');
    rows.push({ name, value: documentedValue(cells[1] ?? ''), line });
  }
  return rows;
}

/** docs/migration.md's options table: the `ours` column of each row whose option has a default in
 * machines/policy/drop-in.ts, its first value (`1 000 ms`, `**1 000**`, `` `equal`: … ``). */
function dropInDefaults(text: string): Map<string, unknown> {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('| option | rws'));
  expect(start, 'no drop-in options table').toBeGreaterThanOrEqual(0);
  const header = (lines[start] as string).split(' | ');
  const ours = header.indexOf('ours');
  const out = new Map<string, unknown>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split(' | ');
    const name = (cells[0] ?? '')
      .replace(/^\| /, '')
      .replace(/ \(.*\)$/, '')
      .replace(/`/g, '');
    const first = (cells[ours] ?? '').replace(/\*\*/g, '').split(/:| ms/)[0] ?? '';
    if (name in DROP_IN_DEFAULTS) out.set(name, first === 'false' ? false : documentedValue(first));
  }
  return out;
}

describe('the defaults the docs state', () => {
  it("docs/migration.md: the drop-in's defaults are machines/policy/drop-in.ts's", () => {
    const documented = dropInDefaults(readDoc('docs/migration.md'));
    expect(Object.fromEntries(documented)).toEqual({ ...DROP_IN_DEFAULTS });
  });

  it.each(Object.keys(EXPECTED))("%s: every row's default is machines/policy's", (file) => {
    const expected = EXPECTED[file] as Record<string, unknown>;
    const rows = defaultRows(readDoc(file));
    // Every default has its row: a table whose header drifted (`| option | default value |`) is
    // read as no table, and its rows would otherwise go unchecked while another table's pass.
    const named = new Set(rows.map(({ name }) => name));
    expect(Object.keys(expected).filter((name) => !named.has(name))).toEqual([]);
    const wrong = rows
      .filter(({ name, value }) => !(name in expected) || !Object.is(expected[name], value))
      .map(({ name, value }) => `${name}: the docs say ${String(value)}, the code ${String(expected[name])}`);
    expect(wrong).toEqual([]);
  });

  it('the check reads the ways a default is written, and sees a wrong one', () => {
    expect(['1 000', '10,000', '1 MiB', '∞', '`full`', '0.2', '1 048 576'].map(documentedValue)).toEqual([
      1000,
      10000,
      1048576,
      Number.POSITIVE_INFINITY,
      'full',
      0.2,
      1048576,
    ]);
    const table = '| option | default | unit |\n|---|---|---|\n| `backoff.maxDelayMs` | 60 000 | ms |\n';
    expect(defaultRows(table)).toEqual([
      { name: 'backoff.maxDelayMs', value: 60000, line: expect.any(String) },
    ]);
  });
});
