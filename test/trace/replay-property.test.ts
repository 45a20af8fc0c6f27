/**
 * Property: any session recorded on the memory network and the simulated clock (random faults,
 * time steps, commands, one or two links, in-process or not) replays identically. fast-check
 * shrinks a failing session to its shortest; the seed is printed so a failure can be rerun.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSupervisor, type HandshakeSession } from '../../src/index.js';
import { createMemoryNetwork, replayTrace, TestClock } from '../../src/testing/index.js';
import { recordSession } from '../../src/trace/record-session.js';

type Action =
  | { kind: 'advance'; ms: number }
  | { kind: 'drop'; code: number }
  | { kind: 'pongs'; on: boolean }
  | { kind: 'refuse'; how: 'error' | 'status' | 'code' | 'accept' }
  | { kind: 'stall'; on: boolean }
  | { kind: 'reconnect'; on: boolean }
  | { kind: 'close'; link: number }
  | { kind: 'connect' }
  | { kind: 'message' }
  | { kind: 'handshakeReply'; reply: 'welcome' | 'go away' | 'silent' };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.integer({ min: 0, max: 3_000 }).map((ms) => ({ kind: 'advance' as const, ms })),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(1000, 1001, 1006, 1008, 1011, 1012, 4000)
      .map((code) => ({ kind: 'drop' as const, code })),
  },
  { weight: 1, arbitrary: fc.boolean().map((on) => ({ kind: 'pongs' as const, on })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('error', 'status', 'code', 'accept')
      .map((how) => ({ kind: 'refuse' as const, how })),
  },
  { weight: 1, arbitrary: fc.boolean().map((on) => ({ kind: 'stall' as const, on })) },
  { weight: 1, arbitrary: fc.boolean().map((on) => ({ kind: 'reconnect' as const, on })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }).map((link) => ({ kind: 'close' as const, link })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'connect' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'message' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('welcome', 'go away', 'silent')
      .map((reply) => ({ kind: 'handshakeReply' as const, reply })),
  },
);

/** Event types the recorded sessions contained, over all runs (the property must reach them). */
const seen = new Set<string>();

type Reply = 'welcome' | 'go away' | 'silent';

async function recordAndReplay(inProcess: boolean, firstReply: Reply, actions: Action[]): Promise<string> {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock, inProcess });
  const server = network.listen('mem://svc');
  // The second link runs an application handshake; the server answers it as the test says.
  let reply = firstReply;
  server.onConnection((peer) =>
    peer.onMessage((data) => {
      if (data === 'hello' && reply !== 'silent') peer.send(reply);
    }),
  );
  const handshake = async (session: HandshakeSession) => {
    session.send('hello');
    if ((await session.next()) === 'go away') throw Object.assign(new Error('turned away'), { fatal: true });
  };
  const supervisor = createSupervisor({ transport: network.transport, clock, seed: 9, lingerMs: 2_000 });
  const recorder = recordSession(supervisor);
  const options = {
    heartbeat: { intervalMs: 700, timeoutMs: 250, maxMissed: 2 },
    backoff: { initialDelayMs: 100, maxDelayMs: 1_500, maxAttempts: 6 },
    connectTimeoutMs: 900,
  };
  const links = [supervisor.connect('mem://svc', options)];
  for (const a of actions) {
    switch (a.kind) {
      case 'advance':
        await clock.advance(a.ms);
        break;
      case 'drop':
        server.dropAll(a.code, 'fault');
        break;
      case 'pongs':
        if (a.on) server.resumePongs();
        else server.stopPongs();
        break;
      case 'refuse':
        if (a.how === 'accept') server.accept();
        else if (a.how === 'error') server.refuse({ error: 'ECONNREFUSED' });
        else if (a.how === 'status') server.refuse({ status: 503, retryAfterSeconds: 1 });
        else server.refuse({ code: 1013 });
        break;
      case 'stall':
        if (a.on) server.stall();
        else server.unstall();
        break;
      case 'reconnect':
        supervisor.setReconnect(a.on);
        break;
      case 'close':
        void links[a.link - 1]?.close().catch(() => {});
        break;
      case 'connect':
        if (links.length < 2) links.push(supervisor.connect('mem://svc', { ...options, handshake }));
        break;
      case 'message':
        for (const peer of server.peers) peer.send('news');
        break;
      case 'handshakeReply':
        reply = a.reply;
        break;
    }
    await clock.advance(0);
  }
  const trace = recorder.stop();
  await supervisor.terminate();
  for (const record of trace.records)
    if (record.kind === 'event') seen.add(record.event.type.replace(/^xstate\.after\.(\w+)\..*/, 'after $1'));
  const result = await replayTrace(trace);
  return result.message;
}

describe('property: recorded memory sessions replay identically', () => {
  it('holds for random faults, time steps and commands', async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    console.log(`replay property: fast-check seed ${seed} (rerun with FC_SEED=${seed})`);
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.constantFrom<Reply>('welcome', 'go away', 'silent'),
        fc.array(action, { minLength: 1, maxLength: 40 }),
        async (inProcess, firstReply, actions) => {
          expect(await recordAndReplay(inProcess, firstReply, actions)).toMatch(/^replay identical/);
        },
      ),
      {
        seed,
        numRuns: Number(process.env.FC_RUNS ?? 80),
        // Always run one session that reaches a connect timeout and a refused handshake.
        examples: [
          [
            false,
            'go away',
            [
              { kind: 'connect' },
              { kind: 'advance', ms: 500 },
              { kind: 'stall', on: true },
              { kind: 'drop', code: 1006 },
              { kind: 'advance', ms: 2_500 },
              { kind: 'reconnect', on: false },
              { kind: 'advance', ms: 500 },
            ],
          ],
          // Found by this property (FC_SEED=877850395): two links' retry timers due at the same
          // instant (a Retry-After floor); the replay fired both before the first one's effects.
          [
            true,
            'welcome',
            [
              { kind: 'refuse', how: 'status' },
              { kind: 'connect' },
              { kind: 'advance', ms: 1_000 },
              { kind: 'connect' },
            ],
          ],
        ],
      },
    );
    for (const type of [
      'handshake.ok',
      'handshake.failed',
      'heartbeat.pong',
      'transport.closed',
      'peer.remove',
    ]) {
      expect(seen, `sessions with ${type}`).toContain(type);
    }
    for (const type of [
      'after reconnectDelay',
      'after heartbeatTimeout',
      'after connectTimeout',
      'reconnect.disable',
    ]) {
      expect(seen, `sessions with ${type}`).toContain(type);
    }
  }, 120_000);
});
