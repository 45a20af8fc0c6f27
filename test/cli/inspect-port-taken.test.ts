/**
 * `linkvisor inspect` on a port that is taken: one line on stderr, exit code 1, and nothing of it
 * left in the process (its signal handlers released, as on a clean exit), in-process through main().
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { formatTrace } from '../../src/trace/trace-format.js';
import { useHarness } from '../helpers/harness.js';
import { FEED_URL, startMemorySession } from '../trace/memory-session.js';
import { fakeIO } from './helpers.js';

describe('cli: linkvisor inspect on a port in use', () => {
  const h = useHarness();

  it('exits 1 saying why in one line with its code, with its signal handlers released', async () => {
    const { clock, supervisor, finish } = startMemorySession({ seed: 3 });
    supervisor.connect(FEED_URL, { id: 'feed', heartbeat: false });
    await clock.advance(100);
    const dir = mkdtempSync(path.join(tmpdir(), 'linkvisor-inspect-'));
    h.defer(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'session.jsonl');
    writeFileSync(file, formatTrace(await finish()));

    const taken = http.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    h.defer(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const port = (taken.address() as AddressInfo).port;

    const io = fakeIO();
    expect(await main(['inspect', file, `--inspect=${port}`], io)).toBe(1);
    expect(io.err()).toMatch(/^linkvisor: inspect: .*EADDRINUSE.* \[LV_ERR_IO\]\n$/);
    expect(io.listening()).toBe(0);
  });
});
