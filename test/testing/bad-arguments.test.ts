/**
 * Every function and class of linkvisor/testing and linkvisor/trace given `null` or a number (a
 * string where a number goes) as its first argument: a LinkvisorError with a stable code naming the argument (docs/errors.md),
 * never a TypeError from deep inside. A new export must be added to the table (the last test).
 */
import { describe, expect, it } from 'vitest';
import { LinkvisorError } from '../../src/index.js';
import * as testing from '../../src/testing/index.js';
import * as trace from '../../src/trace/index.js';

type Call = (arg: unknown) => unknown;
const INVALID_OPTION = 'LV_ERR_INVALID_OPTION';
const INVALID_TRACE = 'LV_ERR_INVALID_TRACE';

/** Export name → how it is called with the bad argument, the code, the argument it names, and
 * the bad arguments (default: null and 42; a string for those that take a number). */
const TABLE: Record<string, [Call, string, string, unknown[]?]> = {
  ChartCoverage: [(a) => new testing.ChartCoverage(a as never), INVALID_OPTION, 'machines'],
  chartStates: [(a) => testing.chartStates(a as never), INVALID_OPTION, 'machine'],
  chartTransitions: [(a) => testing.chartTransitions(a as never), INVALID_OPTION, 'machine'],
  createMemoryNetwork: [(a) => testing.createMemoryNetwork(a as never), INVALID_OPTION, 'options'],
  createLinkTestModel: [(a) => testing.createLinkTestModel(a as never), INVALID_OPTION, 'config'],
  describeEvent: [(a) => testing.describeEvent(a as never), INVALID_OPTION, 'event'],
  LinkDriver: [
    (a) => new testing.LinkDriver(a as never, new testing.TestClock(), () => null as never, null),
    INVALID_OPTION,
    'server',
  ],
  linkModelEvents: [(a) => testing.linkModelEvents(a as never), INVALID_OPTION, 'config'],
  linkModelInput: [(a) => testing.linkModelInput(a as never), INVALID_OPTION, 'config'],
  linkModelKey: [(a) => testing.linkModelKey(a as never, undefined), INVALID_OPTION, 'snapshot'],
  linkModelOptions: [(a) => testing.linkModelOptions(a as never), INVALID_OPTION, 'config'],
  describeRecord: [(a) => testing.describeRecord(a as never), INVALID_TRACE, 'record'],
  replayTrace: [(a) => testing.replayTrace(a as never), INVALID_TRACE, 'trace'],
  shrinkTrace: [(a) => testing.shrinkTrace(a as never, () => true), INVALID_TRACE, 'trace'],
  settle: [(a) => testing.settle(a as never), INVALID_OPTION, 'rounds', [null, 'soon', -1]],
  TestClock: [(a) => new testing.TestClock(a as never), INVALID_OPTION, 'startMs', [null, 'soon']],
  recordSession: [(a) => trace.recordSession(a as never), INVALID_OPTION, 'supervisor'],
  formatTrace: [(a) => trace.formatTrace(a as never), INVALID_TRACE, 'trace'],
  parseTrace: [(a) => trace.parseTrace(a as never), INVALID_TRACE, 'trace'],
  TraceRecorder: [(a) => new trace.TraceRecorder(a as never), INVALID_OPTION, 'host'],
  statePaths: [(a) => trace.statePaths(a as never), INVALID_TRACE, 'value'],
  traceSteps: [(a) => trace.traceSteps(a as never), INVALID_TRACE, 'trace'],
  traceStepAt: [(a) => trace.traceStepAt(a as never, 0), INVALID_TRACE, 'trace'],
};

/** Exports that take no argument. */
const NO_ARGUMENT = new Set(['ModelResolveGate']);

async function errorOf(call: Call, arg: unknown): Promise<unknown> {
  try {
    await call(arg);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('linkvisor/testing and linkvisor/trace: a null or non-object first argument', () => {
  for (const [name, [call, code, option, bad = [null, 42]]] of Object.entries(TABLE)) {
    it(`${name}: ${code} naming ${option}`, async () => {
      for (const arg of bad) {
        const error = await errorOf(call, arg);
        expect(error, `${name}(${String(arg)})`).toBeInstanceOf(LinkvisorError);
        expect(error).toMatchObject({ code, option });
        expect((error as Error).message.startsWith(`${option}:`)).toBe(true);
      }
    });
  }

  it('a nested value that is no state value is refused too, not a TypeError', () => {
    expect(() => trace.statePaths({ attempt: null } as never)).toThrow(
      expect.objectContaining({ code: INVALID_TRACE, option: 'value' }),
    );
    expect(() => new testing.ChartCoverage([null] as never)).toThrow(
      expect.objectContaining({ code: INVALID_OPTION, option: 'machines[0]' }),
    );
    expect(() => trace.formatTrace({ header: { kind: 'header' }, records: 'none' } as never)).toThrow(
      expect.objectContaining({ code: INVALID_TRACE, option: 'trace' }),
    );
  });

  it('the table lists every function and class of both entries', () => {
    const exported = Object.entries({ ...testing, ...trace })
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name)
      .filter((name) => !NO_ARGUMENT.has(name))
      .sort();
    expect(exported).toEqual(Object.keys(TABLE).sort());
  });
});
