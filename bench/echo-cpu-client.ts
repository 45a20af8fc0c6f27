/**
 * One contender's echo client for the paired CPU measurement (bench/echo-cpu.ts): one connection,
 * kept open between runs. On `start` it keeps `inFlight` messages of `size` bytes in flight by a
 * client-side echo loop (every message received is sent back); each `mark` reports the process's
 * CPU time (user + system, every thread: `process.cpuUsage()`) and the messages received since
 * the previous mark; `drain` stops echoing and answers once nothing is in flight.
 *
 * Usage: node --import tsx echo-cpu-client.ts <contender> <url>
 * IPC: → { type: 'ready' } once open;
 *      ← { type: 'start', size, inFlight }
 *      ← { type: 'mark' }   → { type: 'mark', cpuUs, messages, ms, bad, reads, writes, voluntary, involuntary }
 *        (reads, writes: system calls, Linux only; voluntary, involuntary: context switches)
 *      ← { type: 'drain' }  → { type: 'drained' }
 *      ← { type: 'stop' }
 */
import { readFileSync } from 'node:fs';
import { report } from './child.js';
import { type ContenderName, fleet } from './contenders.js';

type Command = { type: 'start'; size: number; inFlight: number } | { type: 'mark' | 'drain' | 'stop' };

const [name, url = ''] = process.argv.slice(2);
const clients = fleet(name as ContenderName);
const client = clients.open(url);
await client.opened;

let size = 0;
let received = 0;
let sent = 0;
let bad = 0;
let echoing = false;
let drained: (() => void) | null = null;

client.onMessage((data) => {
  received++;
  if (data.length !== size) bad++;
  if (echoing) {
    client.send(data);
    sent++;
  } else if (received === sent) drained?.();
});

/** System calls (read, write) and context switches (voluntary, involuntary) so far: Linux's
 * /proc/self/io where it can be read, else zeros; process.resourceUsage(). */
function counters(): number[] {
  let io = [0, 0];
  try {
    const text = readFileSync('/proc/self/io', 'utf8');
    io = [Number(/syscr: (\d+)/.exec(text)?.[1] ?? 0), Number(/syscw: (\d+)/.exec(text)?.[1] ?? 0)];
  } catch {}
  const usage = process.resourceUsage();
  return [...io, usage.voluntaryContextSwitches, usage.involuntaryContextSwitches];
}

let cpu0 = process.cpuUsage();
let counters0 = counters();
let received0 = 0;
let t0 = performance.now();

process.on('message', (command: Command) => {
  switch (command.type) {
    case 'start': {
      size = command.size;
      received = sent = bad = 0;
      echoing = true;
      const payload = 'x'.repeat(size);
      for (let i = 0; i < command.inFlight; i++) {
        client.send(payload);
        sent++;
      }
      return;
    }
    case 'mark': {
      const cpu = process.cpuUsage(cpu0);
      const now = performance.now();
      const [reads = 0, writes = 0, voluntary = 0, involuntary = 0] = counters().map(
        (n, i) => n - (counters0[i] as number),
      );
      report({
        type: 'mark',
        cpuUs: cpu.user + cpu.system,
        messages: received - received0,
        ms: now - t0,
        bad,
        reads,
        writes,
        voluntary,
        involuntary,
      });
      counters0 = counters();
      cpu0 = process.cpuUsage();
      received0 = received;
      t0 = now;
      return;
    }
    case 'drain':
      echoing = false;
      drained = () => {
        drained = null;
        report({ type: 'drained' });
      };
      if (received === sent) drained();
      return;
    case 'stop':
      void clients.close().then(() => process.exit(0));
  }
});

report({ type: 'ready' });
