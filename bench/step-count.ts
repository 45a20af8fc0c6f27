/**
 * Counts, not times (issue 11, BENCHMARKS.md round 34 (step)): what the connection chart does per
 * link open and per drop → reconnect cycle on the memory transport, from the `inspect` events of
 * the actor systems and the context copies XState's assign makes. Deterministic (no clock read):
 * the same tree gives the same numbers on a busy or a quiet host.
 *
 *   open      `--links` links (default 200) connect through `connecting` (memory transport, not
 *             in-process) until all are ready: per link.
 *   cycle     one ready link dropped (1006) and reconnected `--cycles` times (default 200), the
 *             lifecycle step's policy (bench/lifecycle-step.ts: no backoff wait, stableAfterMs 0,
 *             intensity off), in-process (ready → reconnecting → ready) and through connecting; then
 *             through connecting with the default policy but no backoff wait and intensity off
 *             (heartbeat on, stableAfter 5 s: its `transport.closed` row is a storm's cost a link).
 * Each scenario per link or cycle, in all and by event: counts go to the last event sent to the actor
 * (`@xstate.event` is inspected when an event is sent), so an event a transport sends inside a step (the
 * in-process transport's `transport.open`, sent by `openTransport`) takes the rest of that step's counts.
 *
 * Per connection actor: events it took (`@xstate.event` to it), microsteps, actions executed by type
 * (`@xstate.action`: delayed raises, cancels, sendTo, emit, the runtime's own), snapshots it
 * published (`@xstate.snapshot`), and assigns (each `resolveAssign` copies the context with
 * `Object.assign({}, context, update)`: counted by watching that call for a connection context).
 *
 *   node --import tsx bench/step-count.ts [--links 200] [--cycles 200] [--actions]
 */
import type { InspectionEvent } from 'xstate';
import { createSupervisor } from '../src/index.js';
import { createMemoryNetwork } from '../src/testing/index.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const links = flag('--links', 200);
const cycles = flag('--cycles', 200);
const listActions = args.includes('--actions');

interface Counts {
  events: number;
  microsteps: number;
  actions: number;
  assigns: number;
  snapshots: number;
  byAction: Map<string, number>;
}

const fresh = (): Counts => ({
  events: 0,
  microsteps: 0,
  actions: 0,
  assigns: 0,
  snapshots: 0,
  byAction: new Map(),
});
let counts = fresh();
/** The counts of the scenario that runs, by the event whose macrostep is counted (`xstate.after.*`
 * shortened to `after <delay>`); `null` while nothing is counted. */
let byEvent: Map<string, Counts> | null = null;

function eventName(type: string): string {
  const after = /^xstate\.after\.([^.]+)\./.exec(type);
  return after ? `after ${after[1]}` : type;
}

/** Whether an actor runs the connection chart (its machine's id). */
function isConnection(ref: unknown): boolean {
  return (ref as { logic?: { id?: string } }).logic?.id === 'connection';
}

function inspect(event: InspectionEvent): void {
  if (!isConnection(event.actorRef)) return;
  switch (event.type) {
    case '@xstate.event': {
      const name = eventName(event.event.type);
      let bucket = byEvent?.get(name);
      if (byEvent && !bucket) {
        bucket = fresh();
        byEvent.set(name, bucket);
      }
      counts = bucket ?? fresh();
      counts.events++;
      break;
    }
    case '@xstate.microstep':
      counts.microsteps++;
      break;
    case '@xstate.snapshot':
      counts.snapshots++;
      break;
    case '@xstate.action': {
      counts.actions++;
      const type = event.action.type;
      counts.byAction.set(type, (counts.byAction.get(type) ?? 0) + 1);
      break;
    }
  }
}

// resolveAssign's context copy: Object.assign({}, snapshot.context, partialUpdate).
const objectAssign = Object.assign;
Object.assign = function counted(target: object, ...sources: object[]) {
  const context = sources[0] as { linkId?: unknown; policy?: unknown; retry?: unknown } | undefined;
  if (sources.length === 2 && context && 'policy' in context && 'retry' in context && 'linkId' in context) {
    counts.assigns++;
  }
  return objectAssign(target, ...sources);
} as typeof Object.assign;

const per = (c: Counts, n: number) => {
  const f = (v: number) => (v / n).toFixed(2);
  return `events ${f(c.events)}, microsteps ${f(c.microsteps)}, actions ${f(c.actions)}, assigns ${f(c.assigns)}, snapshots ${f(c.snapshots)}`;
};
const actionList = (c: Counts, n: number) =>
  [...c.byAction].map(([type, k]) => `${type} ${(k / n).toFixed(2)}`).join(', ');

function report(name: string, buckets: Map<string, Counts>, n: number): void {
  const total = fresh();
  for (const c of buckets.values()) {
    total.events += c.events;
    total.microsteps += c.microsteps;
    total.actions += c.actions;
    total.assigns += c.assigns;
    total.snapshots += c.snapshots;
    for (const [type, k] of c.byAction) total.byAction.set(type, (total.byAction.get(type) ?? 0) + k);
  }
  console.log(`${name}: ${per(total, n)}`);
  if (listActions) console.log(`  actions: ${actionList(total, n)}`);
  for (const [event, c] of buckets) {
    console.log(`  ${event.padEnd(26)} ${per(c, n)}`);
    if (listActions) console.log(`  ${''.padEnd(26)} ${actionList(c, n)}`);
  }
}

async function open(): Promise<void> {
  const network = createMemoryNetwork({ inProcess: false });
  network.listen('mem://count');
  const supervisor = createSupervisor({ transport: network.transport, inspect });
  const buckets = new Map<string, Counts>();
  byEvent = buckets;
  await Promise.all(Array.from({ length: links }, () => supervisor.connect('mem://count').ready()));
  byEvent = null;
  report('open (through connecting)', buckets, links);
  await supervisor.terminate();
}

const STEP_POLICY = {
  backoff: { initialDelayMs: 0, maxDelayMs: 0, jitter: 'none', stableAfterMs: 0 },
  intensity: false,
} as const;

async function drop(name: string, inProcess: boolean, policy: object): Promise<void> {
  const network = createMemoryNetwork({ inProcess });
  const server = network.listen('mem://count');
  const supervisor = createSupervisor({ transport: network.transport, inspect, ...policy });
  const link = supervisor.connect('mem://count');
  await link.ready();
  let wake: (() => void) | null = null;
  link.on('ready', () => wake?.());
  const buckets = new Map<string, Counts>();
  byEvent = buckets;
  for (let i = 0; i < cycles; i++) {
    const next = new Promise<void>((resolve) => (wake = resolve));
    server.dropAll(1006);
    await next;
  }
  byEvent = null;
  report(`${name} (a cycle)`, buckets, cycles);
  await supervisor.close();
  server.close();
}

await open();
await drop('cycle in-process', true, STEP_POLICY);
await drop('cycle connecting', false, STEP_POLICY);
await drop('default policy, connecting', false, {
  backoff: { initialDelayMs: 0, maxDelayMs: 0 },
  intensity: false,
});
