/**
 * A trace edited by hand to explore "what if" (docs/replay.md, "Replaying"). An event record's
 * `machine` other than the chart its actor runs (its actor record's) is refused when the trace is
 * loaded (LV_ERR_INVALID_TRACE naming the line and `machine`): a replay runs every step of an
 * actor on its chart. Before, it replayed as identical. An edited `atMs` is read only for an
 * input (docs/replay.md).
 */
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../../src/testing/index.js';
import { formatTrace, parseTrace, type Trace, type TraceRecord } from '../../src/trace/trace-format.js';
import { recordFeedStall } from './memory-session.js';

/** The first record matching `pick` in a copy of `trace`, edited by `edit`; the copy. */
function edited(trace: Trace, pick: (r: TraceRecord) => boolean, edit: (r: TraceRecord) => void): Trace {
  const copy = structuredClone(trace);
  const record = copy.records.find(pick);
  if (!record) throw new Error('no such record');
  edit(record);
  return copy;
}

const isEvent = (source: string) => (r: TraceRecord) => r.kind === 'event' && r.source.kind === source;

describe('replay of a hand-edited trace', () => {
  it('the recorded trace replays identically', async () => {
    expect((await replayTrace(await recordFeedStall())).message).toMatch(/^replay identical/);
  });

  it.each([
    ['a timer step', isEvent('timer'), 'socket', 'connection'],
    ['a transport input', isEvent('child'), 'socket', 'connection'],
    ["a link's report to the socket", isEvent('actor'), 'connection', 'socket'],
  ])(
    "%s's machine edited: refused when loaded, naming the line and machine",
    async (_what, pick, machine, other) => {
      const trace = edited(await recordFeedStall(), pick, (r) => {
        r.machine = machine;
      });
      const step = trace.records.find((r) => r.machine === machine && pick(r))?.step as number;
      const text = formatTrace(trace);
      expect(() => parseTrace(text)).toThrowError(
        expect.objectContaining({
          code: 'LV_ERR_INVALID_TRACE',
          message: expect.stringMatching(
            new RegExp(
              `^trace: line ${step + 2}: machine '${machine}' is not '${other}', the chart its actor runs \\(line \\d+\\)`,
            ),
          ),
        }),
      );
      await expect(replayTrace(trace)).rejects.toMatchObject({
        code: 'LV_ERR_INVALID_TRACE',
        message: expect.stringContaining(`record ${step}: machine`),
      });
    },
  );

  // A trace may hold URLs with credentials: a `machine` that is no chart is shown by its length.
  it('a machine edited to a URL with credentials: refused, the URL not in the message', async () => {
    const secret = 'wss://admin:hunter2@feed.example/x';
    const trace = edited(await recordFeedStall(), isEvent('timer'), (r) => {
      r.machine = secret;
    });
    let message = '';
    try {
      parseTrace(formatTrace(trace));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /: machine a string of 34 characters is not 'connection', the chart its actor runs/,
    );
    expect(message).not.toMatch(/hunter2|admin|feed\.example/);
  });

  // What a replay reads of `atMs` (docs/replay.md): an input's (it happens then, on the replay's
  // clock: test/cli/replay-timing.test.ts), never a step's that follows from the inputs (a timer
  // firing, a report, an actor appearing): on a real clock those times are noise (a timer fires
  // late, a report is stamped a millisecond before the step that caused it), so a replay can
  // neither make them happen nor hold them against the replay's own.
  it("a timer step's atMs moved is none of the replay's inputs: it replays identically", async () => {
    const trace = edited(await recordFeedStall(), isEvent('timer'), (r) => {
      r.atMs += 200;
    });
    expect((await replayTrace(trace)).ok).toBe(true);
  });
});
