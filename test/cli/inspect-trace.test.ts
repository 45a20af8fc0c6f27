/**
 * `linkvisor inspect <trace.jsonl>` as a real child process: it serves the inspector page with no
 * supervisor, the trace at /trace.jsonl (behind the token) and the charts in the page's hello,
 * prints the URL, and exits 0 on SIGINT; a bad file or a stray option is a usage error (2).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { formatTrace } from '../../src/trace/trace-format.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { FEED_URL, startMemorySession } from '../trace/memory-session.js';
import { exitCode, HAS_SCRIPT, startCli, startInTerminal } from './helpers.js';

/** A control character a terminal would act on (tab and the line ends a terminal adds aside). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the test
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe('cli: linkvisor inspect <trace.jsonl>', () => {
  const h = useHarness();

  function tempFile(name: string, text: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'linkvisor-inspect-'));
    h.defer(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  }

  it('serves the page on the trace, offline; SIGINT stops it (exit 0)', async () => {
    const { clock, server, supervisor, finish } = startMemorySession({ seed: 3 });
    supervisor.connect(FEED_URL, { id: 'feed', heartbeat: false });
    await clock.advance(100);
    server.dropAll(1012);
    await clock.advance(2_000);
    const text = formatTrace(await finish());
    const cli = startCli(h, ['inspect', tempFile('session.jsonl', text)]);
    const [url] = await cli.waitFor('stdout', /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/, 30_000);
    const page = new URL(url);
    const trace = await fetch(new URL(`/trace.jsonl${page.search}`, page));
    expect(trace.status).toBe(200);
    expect(await trace.text()).toBe(text);
    expect((await fetch(new URL('/trace.jsonl', page))).status).toBe(401);
    // The page's hello: the charts to draw the trace on, no actor, nothing to record.
    const ws = new WebSocket(`ws://${page.host}/ws${page.search}`, { origin: page.origin });
    const hello = await new Promise<{
      server: { record: boolean; trace: boolean };
      charts: { key: string }[];
    }>((resolve, reject) => {
      ws.once('message', (data) => resolve(JSON.parse(String(data))));
      ws.once('error', reject);
    });
    ws.close();
    expect(hello.server).toMatchObject({ record: false, trace: true });
    expect(hello.charts.map((c) => c.key).sort()).toEqual(['connection', 'socket', 'watcher']);
    cli.proc.kill('SIGINT');
    expect(await exitCode(cli, 15_000), cli.stderr).toBe(0);
  }, 45_000);

  it('a missing or bad file, or an option other than --inspect, is a usage error', async () => {
    const missing = startCli(h, ['inspect', path.join(tmpdir(), 'no-such-trace.jsonl')]);
    expect(await exitCode(missing, 15_000)).toBe(2);
    expect(missing.stderr).toMatch(/inspect: cannot read .*no-such-trace\.jsonl \(ENOENT\) \[LV_ERR_IO\]\n$/);
    const bad = startCli(h, ['inspect', tempFile('bad.jsonl', '{"kind":"header"}\n')]);
    expect(await exitCode(bad, 15_000)).toBe(2);
    expect(bad.stderr).toMatch(
      /inspect: .*bad\.jsonl: trace: line 1 is not a linkvisor-trace header.* \[LV_ERR_INVALID_TRACE\]\n$/,
    );
    const stray = startCli(h, ['inspect', 'x.jsonl', '--quiet']);
    expect(await exitCode(stray, 15_000)).toBe(2);
    expect(stray.stderr).toMatch(/takes only --inspect.* \[LV_ERR_UNKNOWN_OPTION\]\n$/);
  }, 45_000);

  it.skipIf(!HAS_SCRIPT)(
    "on a terminal, a file name full of controls (an unpacked archive's) is shown escaped; Ctrl-C stops it (exit 0)",
    async () => {
      const { clock, supervisor, finish } = startMemorySession({ seed: 5 });
      supervisor.connect(FEED_URL, { id: 'feed', heartbeat: false });
      await clock.advance(100);
      const name = '\x1b]0;pwned\x07\x1b[2Jsession.jsonl';
      const terminal = startInTerminal(h, ['inspect', tempFile(name, formatTrace(await finish()))]);
      await waitFor(() => /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.test(terminal.screen), {
        timeoutMs: 30_000,
        message: `the URL (screen: ${JSON.stringify(terminal.screen)})`,
      });
      terminal.type('\x03');
      expect(await terminal.exited, terminal.screen).toBe(0);
      expect(terminal.screen).toContain('\\x1b]0;pwned\\x07\\x1b[2Jsession.jsonl: ');
      expect(terminal.screen.replace(/\^C/g, '')).not.toMatch(CONTROL);
    },
    45_000,
  );
});
