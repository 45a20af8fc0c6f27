/**
 * The links of a recorded start slice (`peer.add`) whose first attempt was refused inside the
 * slice (./replay-session.ts). On an in-process transport a refusing server (or a custom transport
 * failing inside `connect()`) fails the attempt synchronously, as the link starts: recorded, its
 * `transport.closed` comes before the next link of the slice appears, and the socket hears
 * `link.unready` (a one-for-all group `link.lost`) before that link's `link.ready`. A held server
 * would keep the attempt waiting for its input record while the other links start, so the replay
 * fails it the same way instead (inside its `connect()`, with the recorded reason, whatever its
 * kind), and the recorded `transport.closed` has then already happened. A link of the slice that
 * opened (`transport.open` as its first input, same instant) is accepted inside its `connect()`
 * too, as an in-process server accepted it: a one-for-all group whose first member is refused
 * restarts the members that opened after it in the slice.
 */
import type { Reason } from '../../machines/policy/close-reason.js';
import type { TraceEventRecord, TraceRecord } from '../trace/trace-format.js';
import { asRecord } from './replay-link-options.js';
import { resolveFailed } from './replay-resolve.js';

/** A link whose first attempt ended or opened inside its start slice: the recorded reason its
 * attempt fails with (null: it opened, an in-process server accepting), and the recorded
 * `transport.closed` (or `transport.open`) that this makes happen. */
export interface StartRefusal {
  reason: Reason | null;
  input: TraceEventRecord;
}

/** Per `peer.add` step, the links refused inside that start slice. */
export type StartRefusals = ReadonlyMap<number, ReadonlyMap<string, StartRefusal>>;

/** The recorded reason of an attempt refused as it started: any reason a transport gives (a
 * network error, an HTTP status, a custom transport's own kind), but not a per-attempt function
 * failing (its resolve settles on a later turn: ./replay-resolve.ts replays it); null for none. */
export function refusalOf(reason: unknown): Reason | null {
  const r = asRecord(reason as never);
  if (typeof r.kind !== 'string' || typeof r.message !== 'string') return null;
  return resolveFailed(r as Partial<Reason>) ? null : (r as unknown as Reason);
}

/**
 * For each `peer.add` (by its step), the links refused inside the slice and how: a link whose first
 * input after it appears is a `transport.closed` of the same instant, with nothing but the socket's
 * steps, a group's restarts and the actor records of the slice's links between. Only for in-process
 * traces: elsewhere an attempt ends on a later turn, which a held server replays as recorded.
 */
export function startRefusals(records: readonly TraceRecord[]): StartRefusals {
  const found = new Map<number, Map<string, StartRefusal>>();
  for (const [i, record] of records.entries()) {
    if (record.kind !== 'event' || record.source.kind !== 'command' || record.actor !== 'socket') continue;
    if (record.event.type !== 'peer.add') continue;
    const refused = refusedIn(records, i);
    if (refused.size > 0) found.set(record.step, refused);
  }
  return found;
}

/** The refusals whose `transport.closed` is among `inputs` (a shrink's candidate keeps some). */
export function keptRefusals(all: StartRefusals, inputs: readonly TraceRecord[]): StartRefusals {
  const kept = new Set(inputs);
  const found = new Map<number, Map<string, StartRefusal>>();
  for (const [step, links] of all) {
    const some = new Map([...links].filter(([, refusal]) => kept.has(refusal.input)));
    if (some.size > 0) found.set(step, some);
  }
  return found;
}

function refusedIn(records: readonly TraceRecord[], at: number): Map<string, StartRefusal> {
  const start = records[at] as TraceRecord & { kind: 'event' };
  const { inputs, input } = start.event;
  const slice = new Set(
    (Array.isArray(inputs) ? inputs : [input]).map((one) => String(asRecord(one).linkId)),
  );
  const refused = new Map<string, StartRefusal>();
  let current: string | null = null;
  // Read on by index, never a copy of the rest (one per peer.add: quadratic on a long trace).
  for (let j = at + 1; j < records.length; j++) {
    const record = records[j] as TraceRecord;
    if (record.kind === 'actor') {
      if (!slice.has(record.actor)) break;
      current = record.actor;
      continue;
    }
    // The socket's own steps, and a group's restarts it sends (the replayed socket sends them too).
    if (record.source.kind === 'actor' || record.event.type === 'link.restart') continue;
    // The slice's first input: the running link's attempt opening or failing at the same instant
    // (an opening one too: a one-for-all group restarts members that opened in the slice), or the end.
    const own = record.source.kind === 'child' && record.actor === current && record.atMs === start.atMs;
    if (!own || current === null) break;
    if (record.event.type === 'transport.open') refused.set(current, { reason: null, input: record });
    else {
      const reason = record.event.type === 'transport.closed' ? refusalOf(record.event.reason) : null;
      if (!reason) break;
      refused.set(current, { reason, input: record });
    }
    current = null;
  }
  return refused;
}
