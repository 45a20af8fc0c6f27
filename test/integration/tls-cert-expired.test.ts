/**
 * A certificate that expired (CERT_HAS_EXPIRED), on a real TLS server on 127.0.0.1: retried, its
 * code in `lastError`, and ready once the server is renewed (setSecureContext, no restart of the
 * client). It was fatal: a fleet of clients failed for good at a renewal a few minutes late, and
 * each had to be restarted by hand. A trust error (a self-signed certificate the client does not
 * trust) stays fatal: the client's `ca` or the URL's host is wrong, a configuration to fix.
 * Certificates are made by `openssl` (`ca -selfsign` with a start and end date in 2020).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { nextEvent, recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { listen } from '../helpers/servers.js';
import { sleep, waitFor } from '../helpers/wait.js';

interface Pem {
  key: Buffer;
  cert: Buffer;
}

let dir: string;
let expired: Pem;
let renewed: Pem;
let untrusted: Pem;

const SAN = ['-addext', 'subjectAltName=IP:127.0.0.1'];

function makeCurrent(name: string): void {
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`, ...SAN],
      ...['-keyout', `${name}.key`, '-out', `${name}.pem`],
    ],
    { cwd: dir, stdio: 'ignore' },
  );
}

const pem = async (name: string): Promise<Pem> => ({
  key: await readFile(path.join(dir, `${name}.key`)),
  cert: await readFile(path.join(dir, `${name}.pem`)),
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'linkvisor-expired-'));
  makeExpired();
  makeCurrent('renewed');
  makeCurrent('untrusted');
  expired = await pem('old');
  renewed = await pem('renewed');
  untrusted = await pem('untrusted');
}, 60_000);

/** A self-signed certificate for 127.0.0.1 valid only in 2020 (openssl 3.0's `req` takes no dates). */
function makeExpired(): void {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  writeFileSync(path.join(dir, 'index.txt'), '');
  writeFileSync(path.join(dir, 'serial'), '01\n');
  writeFileSync(
    path.join(dir, 'ca.cnf'),
    '[ca]\ndefault_ca=d\n[d]\ndatabase=./index.txt\nnew_certs_dir=.\nserial=./serial\n' +
      'default_md=sha256\npolicy=p\ncopy_extensions=copy\n[p]\ncommonName=supplied\n',
  );
  run([
    ...['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=expired', ...SAN],
    ...['-keyout', 'old.key', '-out', 'old.csr'],
  ]);
  run([
    ...['ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'old.key', '-in', 'old.csr'],
    ...['-out', 'old.pem', '-startdate', '20200101000000Z', '-enddate', '20200102000000Z'],
  ]);
}

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('integration: TLS certificate errors', () => {
  const h = useHarness();

  /** A wss: server on 127.0.0.1 with `pem`'s certificate, stopped after the test. */
  async function wssServer(pem: Pem) {
    const server = https.createServer({ key: pem.key, cert: pem.cert });
    const wss = new WebSocketServer({ server });
    let handshakes = 0;
    server.on('secureConnection', () => handshakes++);
    const port = await listen(server);
    h.defer(async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    return { server, url: `wss://127.0.0.1:${port}/`, handshakes: () => handshakes };
  }

  it('CERT_HAS_EXPIRED: retried (lastError says it), ready once the server is renewed', async () => {
    const wss = await wssServer(expired);
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(wss.url, { wsOptions: { ca: [expired.cert, renewed.cert] } });
    const log = recordEvents(link);

    const reconnecting = await nextEvent(link, 'reconnecting');
    expect(reconnecting.reason).toMatchObject({ kind: 'error', errorCode: 'CERT_HAS_EXPIRED' });
    await nextEvent(link, 'reconnecting');
    expect(link.state).not.toBe('failed');
    expect(link.status().lastError).toMatchObject({ kind: 'error', errorCode: 'CERT_HAS_EXPIRED' });

    wss.server.setSecureContext({ key: renewed.key, cert: renewed.cert });
    await nextEvent(link, 'ready');
    expect(log.count('failed')).toBe(0);
  }, 30_000);

  it('a self-signed certificate the client does not trust: failed, no retry', async () => {
    const wss = await wssServer(untrusted);
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(wss.url, { wsOptions: { ca: [renewed.cert] } });
    const log = recordEvents(link);

    const failed = await nextEvent(link, 'failed');
    expect(failed.reason).toMatchObject({ kind: 'error', errorCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    await sleep(2 * FAST.backoff.maxDelayMs);
    await waitFor(() => link.state === 'failed', { message: 'failed' });
    expect(log.count('reconnecting')).toBe(0);
  }, 30_000);
});
