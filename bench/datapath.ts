/**
 * The data path in isolation: what linkvisor adds per echoed message on top of the socket, with
 * no socket at all. A transport stub hands a message to the link (as the ws transport does on a
 * frame); the application's listener sends it back through `link.send()`; the stub's send counts
 * it. Compared with the same shape without the library (a listener calling a send function).
 *
 * Messages come 32 to a synchronous job there (and 8,192 between two turns of the event loop),
 * which hides what a link pays once per job (the overdue check's clock read and the microtask
 * that ends its cache): so the same is also timed with each message in a job of its own
 * (`setImmediate`), as a socket read of a single message delivers it.
 *
 * Usage: node --import tsx datapath.ts <messages per round> <rounds>
 * Reports { type: 'result', linkvisorNs, bareNs, jobExtraNs, jobExtraRange } over IPC: median ns
 * per message; `jobExtra…`: linkvisor − bare in CPU ns per message at one message per job (the
 * job's own cost included), the median and range of the rounds' paired differences.
 */
import { createSupervisor, type Transport } from '../src/index.js';
import type { TransportHandlers } from '../src/transports/transport.js';
import { report } from './child.js';

const N = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = Number(process.argv[3] ?? 7);
const message = 'x'.repeat(64);
let written = 0;
let handlers: TransportHandlers | null = null;

const stub: Transport = {
  name: 'stub',
  inProcess: false,
  protocolPing: true,
  schemes: ['ws:'],
  connect(_target, h) {
    handlers = h;
    queueMicrotask(() => h.open({ protocol: '', extensions: '' }));
    return {
      send: () => {
        written++;
        return true;
      },
      ping: () => true,
      close: () => {},
      terminate: () => {},
      bufferedAmount: 0,
    };
  },
};

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Runs `batch` messages per loop turn (a socket read carries many), `n` in all: ns per message. */
async function time(deliver: (data: string) => void, n: number, batch = 32): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i += batch) {
    for (let j = 0; j < batch; j++) deliver(message);
    if (i % (batch * 256) === 0) await turn();
  }
  return Number(process.hrtime.bigint() - start) / n;
}

/** Runs `n` messages, each in a job of its own (setImmediate): CPU ns per message, jobs included
 * (CPU time, not wall time: a turn of the event loop on a busy machine waits for a core). */
function timeJobs(deliver: (data: string) => void, n: number): Promise<number> {
  return new Promise((resolve) => {
    let left = n;
    const cpu0 = process.cpuUsage();
    const job = () => {
      deliver(message);
      if (--left > 0) setImmediate(job);
      else {
        const cpu = process.cpuUsage(cpu0);
        resolve(((cpu.user + cpu.system) * 1000) / n);
      }
    };
    setImmediate(job);
  });
}

const supervisor = createSupervisor({ transport: stub });
const link = supervisor.connect('ws://stub/');
await link.ready();
link.on('message', (data) => {
  link.send(data);
});
const viaLink = (data: string) => handlers?.message(data);

const sendFn = (_data: string) => {
  written++;
  return true;
};
const listeners: ((data: string) => void)[] = [(data) => sendFn(data)];
const bare = (data: string) => {
  for (const listener of listeners) listener(data);
};

await time(viaLink, N);
await time(bare, N);
const linkvisorNs: number[] = [];
const bareNs: number[] = [];
/** Per round: linkvisor's CPU ns per message at one message per job minus bare's (paired). */
const jobExtraNs: number[] = [];
const JOBS = Math.ceil(N / 10);
for (let r = 0; r < ROUNDS; r++) {
  linkvisorNs.push(await time(viaLink, N));
  bareNs.push(await time(bare, N));
  jobExtraNs.push((await timeJobs(viaLink, JOBS)) - (await timeJobs(bare, JOBS)));
}
if (written < 2 * N + 2 * ROUNDS * JOBS) throw new Error('datapath: messages were not sent');
await supervisor.close();
report({
  type: 'result',
  linkvisorNs: median(linkvisorNs),
  bareNs: median(bareNs),
  jobExtraNs: median(jobExtraNs),
  jobExtraRange: [Math.min(...jobExtraNs), Math.max(...jobExtraNs)],
});
process.exit(0);
