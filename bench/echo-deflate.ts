/**
 * What the copy at send() costs on a compressing socket (round 32, "copy"): a supervisor's link on
 * the ws transport echoes binary messages through a ws server with permessage-deflate on (its own
 * process, 127.0.0.1), `inFlight` kept in flight; the client's CPU µs per message and its rate,
 * best of `rounds`. Beside it, the copy alone (copyPayload of a Uint8Array of `size` bytes) in
 * ns. Not part of `npm run bench`.
 *
 * Usage: node --import tsx bench/echo-deflate.ts [size=4096] [inFlight=100] [rounds=5] [seconds=2]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { createSupervisor } from '../src/index.js';
import { copyPayload } from '../src/transports/payload.js';

const [sizeArg = '4096', inFlightArg = '100', roundsArg = '5', secondsArg = '2'] = process.argv.slice(2);

if (process.argv[2] === 'server') {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true });
  wss.on('connection', (ws) => {
    process.send?.(`extensions ${ws.extensions || '(none)'}`);
    ws.on('message', (data, binary) => ws.send(data as Buffer, { binary }));
  });
  wss.on('listening', () => process.send?.((wss.address() as { port: number }).port));
} else {
  const size = Number(sizeArg);
  const server = fork(fileURLToPath(import.meta.url), ['server'], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve) => server.once('message', (p) => resolve(p as number)));
  const negotiated = new Promise<string>((resolve) => server.once('message', (m) => resolve(String(m))));
  const supervisor = createSupervisor({ heartbeat: false, networkSignals: false });
  const link = supervisor.connect(`ws://127.0.0.1:${port}`);
  await link.ready();
  const extensions = await negotiated;
  let received = 0;
  link.on('message', (data) => {
    received++;
    link.send(data as Uint8Array);
  });
  for (let i = 0; i < Number(inFlightArg); i++) link.send(new Uint8Array(size).fill(i));
  await new Promise((resolve) => setTimeout(resolve, 1000)); // warm-up
  const rounds: { rate: number; cpuUs: number }[] = [];
  for (let r = 0; r < Number(roundsArg); r++) {
    const r0 = received;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 1000 * Number(secondsArg)));
    const cpu = process.cpuUsage(c0);
    const messages = received - r0;
    rounds.push({
      rate: messages / ((performance.now() - t0) / 1000),
      cpuUs: (cpu.user + cpu.system) / messages,
    });
  }
  await supervisor.close();
  server.kill();
  // The copy alone: a Uint8Array of `size` bytes, as send() hands it to copyPayload.
  const data = new Uint8Array(size).fill(7);
  let sink = 0;
  const copies = 200_000;
  for (let i = 0; i < copies; i++) sink += (copyPayload(data) as Uint8Array).byteLength; // warm-up
  const t0 = performance.now();
  for (let i = 0; i < copies; i++) sink += (copyPayload(data) as Uint8Array).byteLength;
  const copyNs = ((performance.now() - t0) * 1e6) / copies;
  const best = rounds.reduce((a, b) => (b.cpuUs < a.cpuUs ? b : a));
  const cpus = rounds.map((r) => r.cpuUs.toFixed(1)).join(', ');
  console.log(
    `${extensions}; ${size} B binary echo: best ${best.cpuUs.toFixed(1)} µs CPU/msg (rounds: ${cpus}), ` +
      `${Math.round(Math.max(...rounds.map((r) => r.rate)))} msg/s best; copyPayload ${copyNs.toFixed(0)} ns (${sink > 0 ? 'ok' : ''})`,
  );
}
