/**
 * close() in every state leaves nothing that keeps Node alive: a child process drives one link
 * into the state (idle, connecting, handshaking, ready, reconnecting, closing, blackholed), closes
 * it (`link.close()` alone, leaving an empty supervisor open, or `supervisor.close()` alone) and
 * must exit by itself within 1 s of close() resolving. The negative control leaves one socket open
 * on purpose and must not exit (else the check could not see a leak).
 *
 * The time to exit is the child's: its own clock from close() resolving to its `exit` event (the
 * fixture's `exited` line). Measured here, it read this process's scheduling and the pipe's too:
 * 1,024 ms once at load ~18 (last session), this process's own stalls taken out. This
 * process only waits for the exit, as a hang guard (EXIT_WAIT_MS, its own stalls added), and
 * prints what it saw beside the child's figure.
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { Child, type ChildExit, fixture } from './child.js';
import { figure } from './figures.js';
import { watchLoop } from './probes.js';
import { ChaosProxy } from './proxy.js';

const SCENARIO = 'close() in every state (child process)';
const EXIT_WITHIN_MS = 1_000;
/** How long this process waits for the child's exit (its own event-loop stalls added): a hang guard
 * for a child that exits, the window in which the negative control must not. */
const EXIT_WAIT_MS = 5_000;
const STATES = [
  'idle',
  'connecting',
  'handshaking',
  'ready',
  'reconnecting',
  'closing',
  'blackholed',
] as const;
type How = 'link' | 'supervisor' | 'leak';

interface Run {
  stateAtClose: string;
  final: string;
  closeMs: number;
  exit: ChildExit | null;
  /** close() resolved → exit, by the child's clock (Infinity: did not exit, or no `exited` line). */
  lingerMs: number;
  /** The same interval as this process saw it, less its own event-loop stalls (ms). */
  seenMs: number;
}

describe(`chaos: ${SCENARIO}`, () => {
  const h = useHarness();

  async function run(state: (typeof STATES)[number], how: How): Promise<Run> {
    const server = await h.wsServer();
    const proxy = await ChaosProxy.start({ targetPort: server.port });
    h.defer(() => proxy.stop());
    let url = proxy.url('/?link=only');
    if (state === 'connecting') proxy.blackhole('down'); // the 101 never arrives
    if (state === 'reconnecting') url = (await h.keptPort()).url('/'); // refused, nobody else's
    const child = new Child(fixture('close-child.ts'), [state, how, url]);
    h.defer(() => child.kill());
    await child.line('state', 30_000); // the child's own hang guard (30 s) ends it first
    if (state === 'closing') proxy.blackhole('down'); // the drain and the close handshake stall
    if (state === 'blackholed') proxy.blackhole('both');
    const loop = watchLoop();
    h.defer(() => loop.stop());
    child.send('close');
    child.proc.stdin?.end();
    const closed = await child.line('closed', 10_000);
    const info = JSON.parse(closed.payload) as { stateAtClose: string; final: string; closeMs: number };
    const exit = await child.exitWithin(EXIT_WAIT_MS, loop);
    loop.stop();
    if (child.stdout.includes('error')) throw new Error(child.describe());
    // `exited` is written at the child's exit event: read once the child is gone (stdout to its end).
    const exited = exit ? await child.json<{ lingerMs: number }>('exited', 1_000) : null;
    // closed.at and exit.at are wall times (wallNow()); stalls are on performance.now().
    const stalledMs = exit
      ? loop.stalledWithin(closed.at - performance.timeOrigin, exit.at - performance.timeOrigin)
      : 0;
    return {
      ...info,
      exit,
      lingerMs: exited ? exited.lingerMs : Number.POSITIVE_INFINITY,
      seenMs: exit ? exit.at - closed.at - stalledMs : Number.POSITIVE_INFINITY,
    };
  }

  it.each(STATES)(
    '%s: after link.close() and after supervisor.close(), the process exits by itself within 1 s',
    async (state) => {
      const [viaLink, viaSupervisor] = await Promise.all([run(state, 'link'), run(state, 'supervisor')]);
      const expected = state === 'closing' || state === 'blackholed' ? 'ready' : state;
      for (const [how, r] of [
        ['link.close()', viaLink],
        ['supervisor.close()', viaSupervisor],
      ] as const) {
        figure(
          `${SCENARIO}, ${state}`,
          `${how}: resolved after / exited after, the child's clock (as seen here, stalls out) (ms)`,
          `${r.closeMs.toFixed(0)} / ${Number.isFinite(r.lingerMs) ? `${r.lingerMs.toFixed(0)} (${r.seenMs.toFixed(0)})` : 'did not exit'}`,
          `exit ≤ ${EXIT_WITHIN_MS}`,
        );
        expect(r.stateAtClose, how).toBe(expected);
        expect(r.final, how).toBe('closed');
        expect(r.exit?.code, how).toBe(0);
        expect(r.lingerMs, how).toBeLessThanOrEqual(EXIT_WITHIN_MS);
      }
    },
  );

  it('negative control: a fixture that leaves one socket open does not exit', async () => {
    const leak = await run('ready', 'leak');
    figure(
      SCENARIO,
      'negative control (a socket left open): exited',
      leak.exit ? `yes, code ${leak.exit.code}` : `no, still running after ${EXIT_WAIT_MS} ms`,
      'no',
    );
    expect(leak.exit).toBeNull();
  });
});
