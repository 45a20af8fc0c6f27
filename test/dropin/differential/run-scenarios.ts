/**
 * Child process of the differential harness: runs every scenario (scenarios.ts) against ONE
 * implementation and prints the recordings as JSON on its last stdout line.
 *
 *   node --import tsx test/dropin/differential/run-scenarios.ts <partysocket|reconnecting-websocket|linkvisor> [scenario…]
 *
 * A process of its own per implementation: a peer's uncaught exception or unhandled rejection
 * (reconnecting-websocket 4.4 throws from a timer with `ws` in Node) is recorded in the scenario's
 * `crash` field instead of ending a test run, and console output is captured, not printed.
 */
import WS from 'ws';
import { createContext, emptyRecording, type Recording, type SocketClass } from './record.js';
import { SCENARIOS } from './scenarios.js';

export const IMPLEMENTATIONS = ['partysocket', 'reconnecting-websocket', 'linkvisor'] as const;
export type ImplementationName = (typeof IMPLEMENTATIONS)[number];

async function load(name: string): Promise<SocketClass> {
  switch (name) {
    case 'partysocket':
      return (await import('partysocket/ws')).default as unknown as SocketClass;
    case 'reconnecting-websocket':
      return (await import('reconnecting-websocket')).default as unknown as SocketClass;
    case 'linkvisor':
      return (await import('../../../src/entries/ws.js')).default as unknown as SocketClass;
    default:
      throw new Error(`unknown implementation ${name}`);
  }
}

let current: Recording | null = null;
/** Uncaught errors while no scenario runs (none expected: no socket exists then); reported so that
 * none is lost, ours above all. */
const stray: string[] = [];

const CLOSED_SEND = /send\(\) was called after close\(\)/;

/** Console output as a few comparable lines: each warning / error, debug lines once. */
function capture(method: 'log' | 'warn' | 'error') {
  return (...args: unknown[]) => {
    if (!current) return;
    const text = args.map(String).join(' ');
    const line = CLOSED_SEND.test(text)
      ? `${method}: send() was called after close()`
      : method === 'log' && text.startsWith('RWS>')
        ? 'log: RWS> debug lines'
        : `${method}: ${text.slice(0, 60)}`;
    if (method === 'log' && current.console.includes(line)) return;
    current.console.push(line);
  };
}

function crash(kind: string) {
  return (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    (current?.crash ?? stray).push(`${kind}: ${message.replace(/127\.0\.0\.1:\d+/g, 'HOST').slice(0, 80)}`);
  };
}

async function main(): Promise<void> {
  const [name = '', ...only] = process.argv.slice(2);
  const Impl = await load(name);
  console.log = capture('log');
  console.warn = capture('warn');
  console.error = capture('error');
  process.on('uncaughtException', crash('uncaught exception'));
  process.on('unhandledRejection', crash('unhandled rejection'));
  const results: Record<string, Recording> = {};
  for (const scenario of SCENARIOS) {
    if (only.length > 0 && !only.includes(scenario.name)) continue;
    const recording = emptyRecording();
    current = recording;
    const { ctx, finish } = createContext(Impl, WS, recording);
    try {
      await Promise.race([
        scenario.run(ctx),
        new Promise((_resolve, reject) =>
          setTimeout(() => reject(new Error('scenario took over 20 s')), 20_000),
        ),
      ]);
    } catch (error) {
      recording.crash.push(`scenario threw: ${error instanceof Error ? error.message : String(error)}`);
    }
    await finish();
    // Late events of this scenario's sockets (a peer's stray timer) land here, not in the next one.
    await new Promise((resolve) => setTimeout(resolve, 20));
    results[scenario.name] = recording;
  }
  current = null;
  process.stdout.write(`${JSON.stringify({ implementation: name, results, stray })}\n`);
  // Peers may leave timers behind (their uncleared backoff wait): do not wait for them.
  process.exit(0);
}

await main();
