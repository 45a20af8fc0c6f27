/**
 * linkvisor/testing's TestClock against a reference: random runs of setTimeout, clearTimeout,
 * advance, jump, fire and advanceToNextOne fire the same timers, in the same order, at the same
 * clock times as a clock that keeps a plain list and scans it (the clock before it kept a heap).
 * And its cost stays linear: a supervisor's links arm and clear a timer on nearly every step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/testing/test-clock.js';

/** The reference: a list scanned on every operation (ties fire in the order they were set). */
class ListClock {
  private current = 0;
  private timers: { id: number; at: number; delayMs: number; seq: number; fn: () => void }[] = [];
  private nextId = 1;
  private seq = 0;
  now(): number {
    return this.current;
  }
  setTimeout(fn: () => void, ms: number): number {
    // As Node's: below 1 ms is 1, a fraction is cut; the delay as set is what fire() finds.
    const delay = ms >= 1 ? Math.trunc(ms) : 1;
    this.timers.push({ id: this.nextId, at: this.current + delay, delayMs: ms, seq: this.seq++, fn });
    return this.nextId++;
  }
  clearTimeout(id: number): void {
    this.timers = this.timers.filter((t) => t.id !== id);
  }
  private take(end: number, delayMs?: number) {
    const candidates = this.timers.filter(
      (t) => t.at <= end && (delayMs === undefined || t.delayMs === delayMs),
    );
    candidates.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const timer = candidates[0];
    if (timer) this.timers = this.timers.filter((t) => t !== timer);
    return timer;
  }
  advance(ms: number): void {
    const end = this.current + ms;
    for (let timer = this.take(end); timer; timer = this.take(end)) {
      // Time never goes back: a timer left behind by a fire() out of order fires late.
      if (timer.at > this.current) this.current = timer.at;
      timer.fn();
    }
    this.current = end;
  }
  jump(ms: number): void {
    this.current += ms;
    for (const t of this.timers) if (t.at < this.current) t.at = this.current;
  }
  fire(delayMs: number): boolean {
    const timer = this.take(Number.POSITIVE_INFINITY, delayMs);
    if (!timer) return false;
    if (timer.at > this.current) this.current = timer.at;
    timer.fn();
    return true;
  }
  advanceToNextOne(): number | null {
    const timer = this.take(Number.POSITIVE_INFINITY);
    if (!timer) return null;
    if (timer.at > this.current) this.current = timer.at;
    timer.fn();
    return timer.at;
  }
  pendingDelays(): number[] {
    return [...this.timers].sort((a, b) => a.at - b.at || a.seq - b.seq).map((t) => t.delayMs);
  }
}

type Op =
  | { op: 'set'; delayMs: number; chained: number | null }
  | { op: 'clear'; pick: number }
  | { op: 'advance'; ms: number }
  | { op: 'jump'; ms: number }
  | { op: 'fire'; delayMs: number }
  | { op: 'next' };

const DELAYS = [0, 0.5, 1, 1.5, 5, 10, 25, 100];
const delay = fc.constantFrom(...DELAYS);
const ops = fc.array(
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({ op: fc.constant('set' as const), delayMs: delay, chained: fc.option(delay) }),
    },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('clear' as const), pick: fc.nat() }) },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 60 }) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constant('jump' as const), ms: fc.integer({ min: 0, max: 60 }) }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('fire' as const), delayMs: delay }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('next' as const) }) },
  ),
  { maxLength: 120 },
) as fc.Arbitrary<Op[]>;

/** Runs `run` on a clock, logging each firing as `name@now`; a chained timer sets another when it fires. */
async function play(
  run: Op[],
  clock: {
    now(): number;
    setTimeout(fn: () => void, ms: number): number;
    clearTimeout(id: number): void;
    advance(ms: number): unknown;
    jump(ms: number): void;
    fire(delayMs: number): unknown;
    advanceToNextOne(): unknown;
    pendingDelays(): number[];
  },
): Promise<string[]> {
  const log: string[] = [];
  const ids: number[] = [];
  let names = 0;
  const arm = (delayMs: number, chained: number | null) => {
    const name = `t${names++}`;
    ids.push(
      clock.setTimeout(() => {
        log.push(`${name}@${clock.now()}`);
        if (chained !== null) arm(chained, null);
      }, delayMs),
    );
  };
  for (const step of run) {
    if (step.op === 'set') arm(step.delayMs, step.chained);
    else if (step.op === 'clear') {
      if (ids.length > 0) clock.clearTimeout(ids[step.pick % ids.length] as number);
    } else if (step.op === 'advance') await clock.advance(step.ms);
    else if (step.op === 'jump') clock.jump(step.ms);
    else if (step.op === 'fire') log.push(`fire ${step.delayMs}: ${await clock.fire(step.delayMs)}`);
    else log.push(`next: ${await clock.advanceToNextOne()}`);
    log.push(`now ${clock.now()} pending ${clock.pendingDelays().join(',')}`);
  }
  return log;
}

describe('TestClock', () => {
  it('fires what a scanned list fires, in the same order and at the same times', async () => {
    await fc.assert(
      fc.asyncProperty(ops, async (run) => {
        const reference = new ListClock();
        const expected = await play(run, reference);
        const clock = new TestClock();
        const actual = await play(run, clock);
        expect(actual).toEqual(expected);
        expect(clock.pending).toBe(reference.pendingDelays().length);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps pending, nextAt and a cleared timer right', async () => {
    const clock = new TestClock(1_000);
    const fired: string[] = [];
    const a = clock.setTimeout(() => fired.push('a'), 10);
    clock.setTimeout(() => fired.push('b'), 20);
    expect(clock.pending).toBe(2);
    expect(clock.nextAt()).toBe(1_010);
    clock.clearTimeout(a);
    clock.clearTimeout(a);
    clock.clearTimeout('not an id');
    expect(clock.pending).toBe(1);
    expect(clock.nextAt()).toBe(1_020);
    await clock.advance(100);
    expect(fired).toEqual(['b']);
    expect(clock.nextAt()).toBeNull();
    expect(clock.pending).toBe(0);
  });

  it('never goes back: a fire() or an advance() not awaited that moved time further leaves it there', async () => {
    const clock = new TestClock();
    const seen: number[] = [];
    clock.setTimeout(() => seen.push(clock.now()), 10);
    clock.setTimeout(() => seen.push(clock.now()), 5_000);
    // advance(1000) fires the 10 ms timer; the 5 s one is fired out of order meanwhile.
    await Promise.all([clock.advance(1_000), clock.fire(5_000)]);
    expect(seen).toEqual([10, 5_000]);
    expect(clock.now()).toBe(5_000);
    // From inside a timer's callback too: the later timers of the advance fire at the time reached.
    const inner = new TestClock();
    inner.setTimeout(() => void inner.fire(3_000), 10);
    inner.setTimeout(() => seen.push(inner.now()), 20);
    inner.setTimeout(() => {}, 3_000);
    await inner.advance(100);
    expect(seen.at(-1)).toBe(3_000);
    expect(inner.now()).toBe(3_000);
  });

  it('refuses a start or a step that is not a finite number (LV_ERR_INVALID_OPTION naming it)', async () => {
    expect(() => new TestClock(Number.NaN)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'startMs' }),
    );
    expect(() => new TestClock('5' as never)).toThrow(expect.objectContaining({ option: 'startMs' }));
    const clock = new TestClock(-50);
    expect(clock.now()).toBe(-50);
    await expect(clock.advance(-1)).rejects.toMatchObject({ code: 'LV_ERR_INVALID_OPTION', option: 'ms' });
    expect(() => clock.jump(Number.POSITIVE_INFINITY)).toThrow(expect.objectContaining({ option: 'ms' }));
    expect(clock.now()).toBe(-50);
  });

  it('stays linear with many timers set and cleared (a generous bound: a list scan takes minutes)', () => {
    const clock = new TestClock();
    const started = performance.now();
    const ids: number[] = [];
    for (let i = 0; i < 200_000; i++) ids.push(clock.setTimeout(() => {}, 1 + (i % 997)));
    for (const id of ids) clock.clearTimeout(id);
    expect(clock.pending).toBe(0);
    expect(clock.nextAt()).toBeNull();
    // 200,000 × 200,000 / 2 element copies with the list the clock kept before; well under 1 s now.
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
