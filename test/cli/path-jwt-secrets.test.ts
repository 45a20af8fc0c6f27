/**
 * A JWT as a segment of the URL's path (`wss://host/socket/<jwt>`, as some services hand out a
 * connection URL) is a credential by its shape, as it is in a header or a close reason: the real
 * binary against a real ws server on 127.0.0.1 never prints it (lifecycle lines, a usage error)
 * nor writes it to the trace file, and the trace still replays identically.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { exitCode, startCli } from './helpers.js';

/** A JWT (header `{"alg":"HS256"}`, payload `{"sub":"1"}`) and its signature, which alone is secret. */
const SIGNATURE = 'k7QxZp3vN9mW2sL8rT4yB6';
const JWT = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.${SIGNATURE}`;
/** A JWE with `dir` (no encrypted key: `..`), 5 parts; its ciphertext was shown whole before. */
const CIPHERTEXT = '5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TAL';
const JWE = `eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..48V1_ALb6US04U3b.${CIPHERTEXT}.XFBoMYUZodetZdvTiFvSkQ`;

describe('cli: a JWT in the URL path', () => {
  const h = useHarness();

  it.each([
    ['a JWS', JWT, SIGNATURE],
    ['a JWE', JWE, CIPHERTEXT],
  ])('%s is not printed nor recorded; the trace replays identically', async (_name, token, secret) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'linkvisor-jwt-'));
    h.defer(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'trace.jsonl');
    const server = await h.wsServer({
      // A policy close (fatal): the client exits 1 after one connection.
      onConnection: (ws) => setTimeout(() => ws.close(1008, 'policy'), 50),
    });
    const cli = startCli(h, [
      'connect',
      `${server.url}/socket/${token}`,
      '--heartbeat',
      'off',
      '--no-stdin',
      '--record',
      file,
    ]);
    expect(await exitCode(cli), cli.stderr).toBe(1);
    expect(cli.stderr).toContain(`${server.url}/socket/[redacted]`);
    expect(cli.stderr).not.toContain(secret);
    const trace = readFileSync(file, 'utf8');
    expect(trace).not.toContain(secret);
    const replay = startCli(h, ['replay', file]);
    expect(await exitCode(replay), replay.stderr).toBe(0);
  });

  it('is not in a usage error about the URL', async () => {
    const cli = startCli(h, ['connect', `ws://example.org:70000/socket/${JWT}`]);
    expect(await exitCode(cli)).toBe(2);
    expect(cli.stderr).toMatch(
      /^linkvisor: invalid URL 'ws:\/\/example\.org:70000\/socket\/\[redacted\]': port/,
    );
    expect(cli.stderr).not.toContain(SIGNATURE);
  });
});
