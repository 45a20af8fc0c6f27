/**
 * `linkvisor --help` and docs/cli.md describe the command line the parser runs: every option a
 * command takes (src/cli/args.ts, serve-args.ts) is named in both, neither names one it does not
 * take, every command has its section in docs/cli.md, and the defaults docs/cli.md states are
 * machines/policy's (the help reads them from there; the page is written by hand).
 */
import { describe, expect, it } from 'vitest';
import { BACKOFF_DEFAULTS } from '../../machines/policy/backoff.js';
import { HEARTBEAT_DEFAULTS } from '../../machines/policy/heartbeat.js';
import { TIMEOUT_DEFAULTS } from '../../machines/policy/timeouts.js';
import { COMMANDS, FLAGS, VALUE_OPTIONS } from '../../src/cli/args.js';
import { HELP } from '../../src/cli/help.js';
import { SERVE_VALUE_OPTIONS } from '../../src/cli/serve-args.js';
import { readDoc } from './markdown.js';

/** Every option the parsers take, by every name (`-H` and `--header`…). */
const TAKEN = new Set([...Object.keys(VALUE_OPTIONS), ...FLAGS, ...SERVE_VALUE_OPTIONS, '--stall']);

/** The option names a text mentions: `--word` or `-X` after a space, a backtick, a bracket or a line start. */
function optionsIn(text: string): Set<string> {
  return new Set([...text.matchAll(/(?:^|[\s`([])(--?[A-Za-z][a-z-]*)/gm)].map((m) => m[1] as string));
}

const sorted = (names: Iterable<string>) => [...names].sort();
const page = readDoc('docs/cli.md');

describe('the command line, its help and docs/cli.md', () => {
  it.each([
    ['linkvisor --help', HELP],
    ['docs/cli.md', page],
  ])('%s names every option the parsers take, and no other', (_name, text) => {
    const named = optionsIn(text);
    expect(sorted([...TAKEN].filter((option) => !named.has(option)))).toEqual([]);
    expect(sorted([...named].filter((option) => !TAKEN.has(option)))).toEqual([]);
  });

  it('docs/cli.md has a section for every command', () => {
    const headings = page.split('\n').filter((line) => line.startsWith('## '));
    const commands = COMMANDS.filter((command) => command !== 'help');
    expect(
      commands.filter(
        (command) =>
          !headings.some((h) => h.includes(`linkvisor ${command}`) || h.includes(`\`${command}\``)),
      ),
    ).toEqual([]);
  });

  it("docs/cli.md's defaults are machines/policy's", () => {
    const row = (option: string) => page.split('\n').find((line) => line.startsWith(`| \`${option}`)) ?? '';
    const b = BACKOFF_DEFAULTS;
    expect(row('--heartbeat')).toContain(
      `(default ${HEARTBEAT_DEFAULTS.intervalMs}:${HEARTBEAT_DEFAULTS.timeoutMs},`,
    );
    expect(row('--backoff')).toContain(`(default ${b.initialDelayMs}:${b.maxDelayMs}:${b.multiplier})`);
    expect(row('--jitter')).toContain(`\`${b.jitter}\` (default)`);
    expect(row('--connect-timeout')).toContain(`(default ${TIMEOUT_DEFAULTS.connectTimeoutMs})`);
    const window = `(${HEARTBEAT_DEFAULTS.intervalMs / 1000} s + ${HEARTBEAT_DEFAULTS.timeoutMs / 1000} s by default)`;
    expect(page).toContain(window);
  });

  it('the check sees an option left out and one that does not exist', () => {
    const named = optionsIn('`-H, --header` and --bogus-flag, not a-hyphen or x--y');
    expect(sorted(named)).toEqual(['--bogus-flag', '--header', '-H']);
  });
});
