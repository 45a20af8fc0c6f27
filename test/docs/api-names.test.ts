/**
 * What the docs list as "every option" or "every event" is every one the code takes or emits:
 * docs/links.md's table of `createSupervisor()` options names each of the supervisor's own
 * options, its table of link options each option `connect()` takes, and its paragraphs of events
 * each event a link and a supervisor emit (`on()` refuses any other); the README names every
 * entry of the package's exports map; docs/inspector.md's and docs/otel.md's option tables name
 * every option `startInspector()` and `instrumentSupervisor()` take (read from the list their
 * LV_ERR_UNKNOWN_OPTION gives), and docs/otel.md every value of its closed attributes. Before (round 28) the link table had lost `authCloseCodes`,
 * `intensity`, `network`, `resume` and `resolveTimeoutMs`, the supervisor table `degradedShare`
 * and `networkSignals`, the events `escalated`, `resumed` and `reset`, and the README
 * `linkvisor/server`, the inspector's table `warn`, and docs/otel.md the reason kinds `intensity`
 * and `group` and the drop reasons `reset` and `unread`: options and events a reader of the docs
 * could not know existed. The option tables name no option the code does not take either, and
 * each check asserts it read a non-trivial number of names (a check over an empty list passes).
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { startInspector } from '../../src/inspector/index.js';
import { DROP_REASONS, instrumentSupervisor, REASON_KINDS } from '../../src/otel/index.js';
import { LINK_EVENTS } from '../../src/runtime/link-events.js';
import { LINK_OPTION_KEYS } from '../../src/runtime/options.js';
import { SUPERVISOR_KEYS } from '../../src/runtime/supervisor-options.js';
import { SUPERVISOR_EVENTS } from '../../src/runtime/supervisor-types.js';
import { packageEntries, readDoc } from './markdown.js';

/** The lines of `text` from the heading `heading` up to the next heading. */
function section(text: string, heading: string): string {
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  expect(start, `no heading ${heading}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, i) => i > start && /^#{1,6} /.test(line));
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
}

/** The names in backticks of the first column of the table of `text` whose header row starts with
 * `| <header> |`. */
function firstColumn(text: string, header: string): Set<string> {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${header} |`));
  expect(start, `no table headed ${header}`).toBeGreaterThanOrEqual(0);
  const names = new Set<string>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cell = line.slice(1, line.indexOf(' |', 1));
    for (const [, name] of cell.matchAll(/`([A-Za-z]+)`/g)) names.add(name as string);
  }
  return names;
}

/** The paragraph (lines up to a blank line) of `text` that starts on the line holding `marker`. */
function paragraphAt(text: string, marker: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.includes(marker));
  expect(start, `no line with ${marker}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, i) => i > start && line.trim() === '');
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
}

const missing = (names: Iterable<string>, shown: (name: string) => boolean) =>
  [...names].filter((n) => !shown(n));

describe('docs/links.md names every option and event', () => {
  const links = readDoc('docs/links.md');

  it("the createSupervisor() table: every one of the supervisor's own options", () => {
    const table = firstColumn(section(links, '## `createSupervisor(options?)`'), 'option');
    expect(missing(SUPERVISOR_KEYS, (key) => table.has(key))).toEqual([]);
    // …and no other: a name the table keeps after the code dropped it is a drift too.
    expect(missing(table, (key) => SUPERVISOR_KEYS.has(key))).toEqual([]);
    expect(table.size).toBeGreaterThanOrEqual(7);
  });

  it('the connect() table: every link option', () => {
    const table = firstColumn(section(links, '## `supervisor.connect(url, options?)`'), 'link option');
    expect(missing(LINK_OPTION_KEYS, (key) => table.has(key))).toEqual([]);
    expect(missing(table, (key) => LINK_OPTION_KEYS.has(key))).toEqual([]);
    expect(table.size).toBeGreaterThanOrEqual(20);
  });

  it("a link's events: every one link.on() takes, with its payload", () => {
    const paragraph = paragraphAt(links, 'Events: `state {');
    expect(missing(LINK_EVENTS, (event) => new RegExp(`\`${event} [{(]`).test(paragraph))).toEqual([]);
  });

  it("a supervisor's events: every one supervisor.on() takes", () => {
    const paragraph = paragraphAt(links, 'Returns a `Supervisor`');
    const listed = /on\(([^)]*)\)/.exec(paragraph)?.[1] ?? '';
    expect(missing(SUPERVISOR_EVENTS, (event) => listed.includes(`'${event}'`))).toEqual([]);
  });

  it('the checks see a name left out (a table and a paragraph made for the test)', () => {
    const table = '| option | meaning |\n|---|---|\n| `seed`, `clock` | x |\n| `inspect` | y |\n\nafter';
    expect(
      missing(['seed', 'clock', 'inspect', 'lingerMs'], (key) => firstColumn(table, 'option').has(key)),
    ).toEqual(['lingerMs']);
  });
});

/** The names a function's options take, as its LV_ERR_UNKNOWN_OPTION lists them for a key it does not know. */
async function optionsTaken(call: (options: Record<string, unknown>) => unknown): Promise<string[]> {
  try {
    await call({ notAnOptionOfAnyone: 1 });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    expect(code).toBe('LV_ERR_UNKNOWN_OPTION');
    return message.slice(message.indexOf('known: ') + 'known: '.length).split(', ');
  }
  throw new Error('no error for an unknown option');
}

describe('the option tables of the other pages', () => {
  it('docs/inspector.md: the startInspector table names every option', async () => {
    const taken = await optionsTaken((options) => startInspector(null, options));
    const table = firstColumn(readDoc('docs/inspector.md'), '`startInspector` option');
    expect(missing(taken, (key) => table.has(key))).toEqual([]);
    expect(missing(table, (key) => taken.includes(key))).toEqual([]);
    expect(taken.length).toBeGreaterThanOrEqual(14);
  });

  it('docs/otel.md: the instrumentSupervisor table names every option', async () => {
    const supervisor = createSupervisor();
    try {
      const taken = await optionsTaken((options) => instrumentSupervisor(supervisor, options));
      const table = firstColumn(section(readDoc('docs/otel.md'), '## Options'), 'option');
      expect(missing(taken, (key) => table.has(key))).toEqual([]);
      expect(missing(table, (key) => taken.includes(key))).toEqual([]);
      expect(taken.length).toBeGreaterThanOrEqual(6);
    } finally {
      await supervisor.close();
    }
  });
});

describe("docs/otel.md's attribute values", () => {
  it('names every reason kind and drop reason an attribute can take', () => {
    const paragraph = paragraphAt(readDoc('docs/otel.md'), 'Every attribute value comes from a closed set');
    expect(
      missing([...REASON_KINDS, ...DROP_REASONS], (value) => paragraph.includes(`\`${value}\``)),
    ).toEqual([]);
    expect(REASON_KINDS.length + DROP_REASONS.length).toBeGreaterThanOrEqual(10);
  });
});

describe('README.md', () => {
  it('names every entry of the exports map', () => {
    const paragraph = paragraphAt(readDoc('README.md'), 'Entries: ');
    expect(missing(packageEntries().keys(), (entry) => paragraph.includes(`\`${entry}\``))).toEqual([]);
    expect(packageEntries().size).toBeGreaterThanOrEqual(5);
  });
});
