/**
 * What the resumable-session chaos scenarios share (resume-faults.chaos.ts, resume-restart.chaos.ts):
 * their sizes and bounds, `resumeRun` (200 links with `resume` through the chaos proxy to a
 * `linkvisor/server` on a real `ws` server, a message every 50 ms each way per link, each side
 * checking every message it receives is the next one: a `Stream` per direction), the faults
 * (RST of every connection, a blackhole longer than the heartbeat's window, a cut in the middle of
 * a frame) and the totals a scenario reports.
 */
import type { Link, LinkOptions } from '../../src/index.js';
import { type ResumableOptions, type ResumableSession, resumable } from '../../src/server/index.js';
import type { Harness } from '../helpers/harness.js';
import type { WsTestServer } from '../helpers/servers.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { CHAOS, linkUrl } from './probes.js';
import { ChaosProxy } from './proxy.js';

export const LINKS = Number(process.env.CHAOS_LINKS ?? 200);
export const BOUNCES = 10;
export const SEND_EVERY_MS = 50;
const FAULTS = ['RST', 'blackhole', 'mid-frame cut'] as const;
/** Longer than the heartbeat's window (250 + 500 ms): links notice and reconnect into it. */
const BLACKHOLE_MS = 1_200;
/**
 * The time limit of each test: a run takes 1–35 s on a quiet two-core machine, several times that
 * beside other work; the waits inside are bounded on their own and name what they waited for.
 */
export const RESUME_TEST_TIMEOUT_MS = 600_000;
/** The wait for 200 links ready at the start of each test. */
export const START_MS = 240_000;

/** One direction of one link: the next number expected and what went wrong. */
export class Stream {
  sent = 0;
  received = 0;
  lost = 0;
  duplicated = 0;
  reordered = 0;
  receive(n: number): void {
    if (n === this.received + 1) this.received = n;
    else if (n <= this.received) this.duplicated++;
    else {
      // A gap: the messages in between were lost, or arrive later out of order.
      this.lost += n - this.received - 1;
      this.reordered++;
      this.received = n;
    }
  }
}

export interface Pair {
  up: Stream; // link → server
  down: Stream; // server → link
  session: ResumableSession | null;
  link: Link;
  resumed: number;
  resets: string[];
  /** Every outcome of a resume, in order: `resumed` or `reset <reason>`. */
  outcomes: string[];
  dropped: number;
  /** Messages the server's sessions reported `dropped` (never acknowledged when they ended). */
  serverDropped: number;
}

/**
 * 200 resuming links through a proxy to a resumable server; senders in both directions. The
 * server listens behind the proxy's kept port (`proxy.behind`): a restarted one listens there too,
 * where no other process can take the port in between.
 */
export async function resumeRun(h: Harness, options: ResumableOptions = {}, link: LinkOptions = {}) {
  const proxy = await ChaosProxy.startKept();
  h.defer(() => proxy.stop());
  const server = await h.wsServer(proxy.behind);
  const pairs = new Map<string, Pair>();
  const attach = (wss: WsTestServer, store: ResumableOptions) => {
    const rs = resumable(wss.wss, store);
    rs.on('session', (session) => {
      let key: string | null = null;
      session.on('message', (data) => {
        const text = String(data);
        const colon = text.indexOf(':');
        const pair = pairs.get(text.slice(0, colon));
        if (!pair) return;
        if (key === null) {
          key = text.slice(0, colon);
          pair.session = session;
        }
        pair.up.receive(Number(text.slice(colon + 1)));
      });
      session.on('dropped', () => {
        const pair = key === null ? undefined : pairs.get(key);
        if (pair) pair.serverDropped++;
      });
    });
    return rs;
  };
  let rs = attach(server, options);
  h.defer(() => rs.close());
  // A connect timeout of 10 s (CHAOS has 1 s): 200 links reconnecting at once through the proxy on
  // a busy 2-core machine must not time out into a loop of retries (the scenario is about what
  // arrives, not how fast).
  const supervisor = h.supervisor({ ...CHAOS, connectTimeoutMs: 10_000, seed: 15, resume: true, ...link });
  for (let i = 0; i < LINKS; i++) {
    const key = String(i);
    const l = supervisor.connect(linkUrl(proxy.url(), i), { id: key });
    const pair: Pair = {
      up: new Stream(),
      down: new Stream(),
      session: null,
      link: l,
      resumed: 0,
      resets: [],
      outcomes: [],
      dropped: 0,
      serverDropped: 0,
    };
    l.on('message', (data) => pair.down.receive(Number(String(data))));
    l.on('resumed', () => {
      pair.resumed++;
      pair.outcomes.push('resumed');
    });
    l.on('reset', ({ reason }) => {
      pair.resets.push(reason);
      pair.outcomes.push(`reset ${reason}`);
    });
    l.on('dropped', () => pair.dropped++);
    pairs.set(key, pair);
  }
  const all = [...pairs.values()];
  await waitFor(() => all.every((p) => p.link.state === 'ready'), {
    message: 'all ready',
    // A hang guard on the start, not a bound of the scenario: 60 s failed at load 18–20 (round 23).
    timeoutMs: START_MS,
  });
  const sender = setInterval(() => {
    for (const [key, pair] of pairs) {
      const outcome = pair.link.send(`${key}:${pair.up.sent + 1}`);
      if (outcome !== 'dropped') pair.up.sent++;
      const session = pair.session;
      if (session && !session.ended && session.send(String(pair.down.sent + 1)) !== 'dropped')
        pair.down.sent++;
    }
  }, SEND_EVERY_MS);
  h.defer(() => clearInterval(sender));
  // Each session learns its link from the link's first message.
  await waitFor(() => all.every((p) => p.session !== null), {
    message: 'every session bound',
    timeoutMs: 60_000,
  });
  return {
    proxy,
    server,
    pairs: all,
    stop: () => clearInterval(sender),
    restart: (next: WsTestServer, store: ResumableOptions) => {
      rs = attach(next, store);
      for (const pair of all) pair.session = null;
      return rs;
    },
    close: () => rs.close(),
  };
}

/** What the links are doing, for a failure message: states, outcomes, last errors. */
export function summary(pairs: Pair[]): string {
  const count = (values: string[]) => {
    const m = new Map<string, number>();
    for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
    return JSON.stringify([...m]);
  };
  return [
    `states ${count(pairs.map((p) => p.link.state))}`,
    `resets ${count(pairs.map((p) => p.resets.join('+') || '-'))}`,
    `resumed ${count(pairs.map((p) => String(p.resumed)))}`,
    `last errors ${count(pairs.map((p) => p.link.status().lastError?.message ?? '-'))}`,
  ].join('; ');
}

/** Until each side received everything the other sent (bounded). */
export async function drained(pairs: Pair[], what: string) {
  await waitFor(() => pairs.every((p) => p.up.received >= p.up.sent && p.down.received >= p.down.sent), {
    message: `${what}: every message arrived`,
    timeoutMs: 60_000,
  });
}

export function totals(pairs: Pair[]) {
  const sum = (f: (p: Pair) => number) => pairs.reduce((n, p) => n + f(p), 0);
  return {
    sent: sum((p) => p.up.sent + p.down.sent),
    lost: sum((p) => p.up.lost + p.down.lost),
    duplicated: sum((p) => p.up.duplicated + p.down.duplicated),
    reordered: sum((p) => p.up.reordered + p.down.reordered),
    resumed: sum((p) => p.resumed),
    resets: sum((p) => p.resets.length),
    dropped: sum((p) => p.dropped),
    serverDropped: sum((p) => p.serverDropped),
  };
}

export async function fault(proxy: ChaosProxy, bounce: number): Promise<string> {
  const kind = FAULTS[bounce % FAULTS.length] as (typeof FAULTS)[number];
  if (kind === 'RST') proxy.resetAll();
  else if (kind === 'blackhole') {
    proxy.blackhole();
    await sleep(BLACKHOLE_MS);
    proxy.heal();
  } else proxy.cut(7, 'both');
  return kind;
}
