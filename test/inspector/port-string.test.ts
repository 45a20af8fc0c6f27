/**
 * A port given as a string of decimal digits (`process.env.PORT`), as Node's `server.listen('8080')`
 * takes it: `startInspector({ port: '8080' })` listens on 8080. Before: LV_ERR_INVALID_OPTION naming
 * `port` ("must be a finite number"). Anything else that is no whole number 0–65535 in decimal
 * digits is still refused naming `port` ('', '80a', '1e3', ' 80', '0x50', '-1', '65536', 1.5…), and
 * the CLI's ports (`--inspect=<port>`, `serve --port`) follow the same rule: before, they took
 * '1e3' (1000), ' 80' and '0x50' (80) through Number(). Real servers on 127.0.0.1, nothing left after.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { parseServeArgs } from '../../src/cli/serve-args.js';
import type { StartInspectorOptions } from '../../src/inspector/inspector-server.js';
import { startInspector } from '../../src/inspector/start-inspector.js';
import { FAST, useHarness } from '../helpers/harness.js';

const h = useHarness();

/** A port free a moment ago on 127.0.0.1 (its server closed before it returns). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const REFUSED: unknown[] = [
  '',
  '80a',
  '1e3',
  ' 80',
  '80 ',
  '0x50',
  '8.0',
  '-1',
  '65536',
  '99999999',
  -1,
  65_536,
  1.5,
  Number.NaN,
  null,
];

describe('startInspector: port as decimal digits', () => {
  it('port: a string of digits listens on that number', async () => {
    // A port free a moment ago may be taken meanwhile on a busy machine: a few tries, bounded.
    for (let tries = 1; ; tries++) {
      const port = await freePort();
      const started = await startInspector(h.supervisor(FAST), { port: String(port) }).catch(
        (e: unknown) => e,
      );
      if (started instanceof Error && /EADDRINUSE/.test(started.message) && tries < 5) continue;
      const server = started as Awaited<ReturnType<typeof startInspector>>;
      h.defer(() => server.close());
      expect(server.port).toBe(port);
      expect(server.url).toContain(`:${port}/`);
      return;
    }
  });

  it("port: '0' (any free port), as 0", async () => {
    const server = await startInspector(h.supervisor(FAST), { port: '0' });
    h.defer(() => server.close());
    expect(server.port).toBeGreaterThan(0);
  });

  it.each(REFUSED.map((port) => [typeof port === 'string' ? JSON.stringify(port) : String(port), port]))(
    'port: %s is refused naming port',
    async (_, port) => {
      await expect(
        startInspector(h.supervisor(FAST), { port } as StartInspectorOptions),
      ).rejects.toMatchObject({
        name: 'LinkvisorError',
        code: 'LV_ERR_INVALID_OPTION',
        option: 'port',
      });
    },
  );
});

describe('the CLI ports take the same digits', () => {
  it('--inspect=8080 and serve --port 8080 (and 0, 65535)', () => {
    expect(parseArgs(['connect', 'ws://x/', '--inspect=8080'])).toMatchObject({ inspect: 8080 });
    expect(parseArgs(['connect', 'ws://x/', '--inspect=65535'])).toMatchObject({ inspect: 65_535 });
    expect(parseServeArgs(['--port', '8080'])).toMatchObject({ port: 8080 });
    expect(parseServeArgs(['--port=0'])).toMatchObject({ port: 0 });
  });

  it.each(['', '80a', '1e3', ' 80', '80 ', '0x50', '8.0', '-1', '65536'])('%j is refused by both', (port) => {
    const refused = expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION' });
    expect(() => parseArgs(['connect', 'ws://x/', `--inspect=${port}`])).toThrow(refused);
    expect(() => parseServeArgs(['--port', port])).toThrow(refused);
  });
});

describe('a refused port string is not echoed when it may be a secret', () => {
  // 6 digits or more are no port and may be a PIN (`port: process.env.PIN`, the wrong variable): as
  // a URL's port of 6+ digits (src/cli/args.ts's isPortTypo), shown by its length. Before: quoted
  // (`got '12345678'`) by startInspector, --inspect=<port> and serve --port.
  const PIN = '12345678';
  const TYPO = '70000';
  /** What the CLI's parser threw (a UsageError, exit code 2). */
  const thrown = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(error).toMatchObject({ code: 'LV_ERR_INVALID_OPTION', exitCode: 2 });
      return error as Error;
    }
    throw new Error('nothing thrown');
  };

  it.each([PIN, '4471ab', '123456'])('%j: by its length in all three', async (port) => {
    const messages = [
      thrown(() => parseArgs(['connect', 'ws://x/', `--inspect=${port}`])),
      thrown(() => parseServeArgs(['--port', port])),
      await startInspector(h.supervisor(FAST), { port }).catch((e: unknown) => e),
    ].map((e) => (e as Error).message);
    for (const message of messages) {
      expect(message).not.toContain(port);
      expect(message).toContain(`a string of ${port.length} characters`);
    }
  });

  it('a typo of 5 characters or fewer is still quoted', async () => {
    expect(thrown(() => parseServeArgs(['--port', TYPO]))).toMatchObject({
      message: expect.stringContaining(`got '${TYPO}'`),
    });
    expect(thrown(() => parseArgs(['connect', 'ws://x/', '--inspect=80a']))).toMatchObject({
      message: expect.stringContaining("got '80a'"),
    });
    await expect(startInspector(h.supervisor(FAST), { port: TYPO })).rejects.toMatchObject({
      message: expect.stringContaining(`got '${TYPO}'`),
    });
  });
});
