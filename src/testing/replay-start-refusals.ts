/**
 * The links of a recorded start slice (`peer.add`) whose first attempt was refused inside the
 * slice (./replay-session.ts). On an in-process memory network a refusing server fails the attempt
 * synchronously, as the link starts: recorded, its `transport.closed` comes before the next link of
 * the slice appears, and the socket hears `link.unready` (a one-for-all group `link.lost`) before
 * that link's `link.ready`. A held server would keep the attempt waiting for its input record while
 * the other links start, so the replay refuses it the same way instead (its server refuses during
 * the slice), and the recorded `transport.closed` has then already happened.
 */
import type { TraceEventRecord, TraceRecord } from '../trace/trace-format.js';
import type { RefuseWith } from '../transports/memory-transport.js';
import { asRecord } from './replay-link-options.js';

/** A link refused inside its start slice: how its server refuses, and the recorded
 * `transport.closed` that the refusal makes happen. */
export interface StartRefusal {
  how: RefuseWith;
  closed: TraceEventRecord;
}

/** Per `peer.add` step, the links refused inside that start slice. */
export type StartRefusals = ReadonlyMap<number, ReadonlyMap<string, StartRefusal>>;

/** How a memory server refuses with the recorded reason: a network error or an HTTP status (the
 * refusals a memory server makes inside the attempt); null for any other reason. */
export function refusalOf(reason: unknown): RefuseWith | null {
  const r = asRecord(reason as never);
  if (r.kind === 'error' && typeof r.errorCode === 'string' && r.errorCode !== '')
    return { error: r.errorCode };
  if (r.kind !== 'http' || typeof r.status !== 'number' || !Number.isInteger(r.status)) return null;
  if (r.status < 100 || r.status > 599) return null;
  const retryAfterMs = r.retryAfterMs;
  return typeof retryAfterMs === 'number' && retryAfterMs >= 0
    ? { status: r.status, retryAfterSeconds: retryAfterMs / 1000 }
    : { status: r.status };
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
    const some = new Map([...links].filter(([, refusal]) => kept.has(refusal.closed)));
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
    // The slice's first input: the running link's attempt failing at the same instant, or the end.
    const closes =
      record.source.kind === 'child' && record.event.type === 'transport.closed' && record.actor === current;
    const how = closes && record.atMs === start.atMs ? refusalOf(record.event.reason) : null;
    if (!how || current === null) break;
    refused.set(current, { how, closed: record });
    current = null;
  }
  return refused;
}
