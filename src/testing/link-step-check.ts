/**
 * The per-step check of a generated link path: the generic check of chart-step-check.ts with the
 * connection chart's contracts (link-step-contracts.ts), and the link's lifecycle rules:
 *
 * - every action that ran is one the chart implements, and has a contract;
 * - the context the step leaves is the fold of those contracts over the context it found, in the
 *   order the actions ran, each with the event that triggered it (fields no action assigns stay);
 * - the events emitted, the reports to the parent and the commands to the transport are exactly
 *   the ones those contracts give, in order;
 * - the timers pending are exactly the `after` delays the active states declare, and each timer
 *   scheduled in the step has its delay's contract value;
 * - lifecycle rules that hold for any state: leaving `connected` reports `link.unready`; entering
 *   it emits one `ready`; a drop out of it (not a command) announces `lost` first; a scheduled
 *   reconnect delay is announced with its value, a retry made at once (a socket closed and another
 *   opened in one step, not by `link.reconnect`) as one `reconnecting` in 0 ms, and `reconnecting`
 *   nowhere else; a link that ends emits `failed`/`closed` last;
 *   `link.reconnect` opens exactly one fresh transport.
 *
 * Generic: nothing here names a state, so a state added to the chart is checked by the same rules.
 */
import type { AnyActorRef } from 'xstate';
import type {
  ConnectionContext,
  ConnectionEvent,
  ConnectionInput,
} from '../../machines/connection.machine.js';
import { connectionMachine, linkStateName } from '../../machines/connection.machine.js';
import { checkChartStep, deepJson } from './chart-step-check.js';
import { type ChartStepRecord, ChartStepRecorder } from './chart-step-recorder.js';
import type { ConnectionSnapshot } from './link-model-events.js';
import { CONNECTION_TAG_CONTRACTS, connectionContracts } from './link-step-contracts.js';

/** Observes a link actor step by step; it reports to the parent named in its context. */
export class LinkStepRecorder extends ChartStepRecorder {
  constructor(findLink: () => AnyActorRef | null) {
    super(findLink, connectionMachine, (link) => (link.getSnapshot() as ConnectionSnapshot).context.parent);
  }
}

/** A chart input that starts a link with `context` (step 0: the expected initial context). */
function inputOf(context: ConnectionContext): ConnectionInput {
  return {
    linkId: context.linkId,
    label: context.label,
    inProcess: context.policy.inProcess,
    hasHandshake: context.policy.hasHandshake,
    autoConnect: context.policy.autoConnect,
    reconnectEnabled: context.reconnectEnabled,
    backoff: context.policy.backoff,
    timeouts: context.policy.timeouts,
    heartbeat: context.policy.heartbeat,
    ...(context.policy.resume ? { resume: context.policy.resume } : {}),
    intensity: context.policy.intensity ?? false,
    perAttempt: context.policy.perAttempt,
    network: context.policy.network,
  };
}

export interface LinkStepInput {
  /** The context the step found (step 0: the expected initial context). */
  before: ConnectionContext;
  beforeSnapshot: ConnectionSnapshot | null;
  /** The runtime's snapshot after the step. */
  after: ConnectionSnapshot;
  /** The chart's snapshot after the step (the model). */
  expected: ConnectionSnapshot;
  /** The model event of the step (null at step 0). */
  event: ConnectionEvent | null;
  record: ChartStepRecord;
  /** The link's clock time after the step, in ms (restart intensity's window is clock time). */
  nowMs: number;
}

/** Problems found in one step of a link (empty: the step did what the chart declares). */
export function checkLinkStep(input: LinkStepInput): string[] {
  const { problems, actions } = checkChartStep({
    machine: connectionMachine,
    contracts: connectionContracts(input.nowMs) as never,
    start: input.beforeSnapshot
      ? { value: input.beforeSnapshot.value, context: input.before, children: input.beforeSnapshot.children }
      : { input: inputOf(input.before) },
    before: input.before,
    after: input.after.context,
    expectedValue: input.expected.value,
    hasParent: input.before.parent !== undefined,
    record: input.record,
  });
  return [
    ...problems,
    ...lifecycleProblems(
      input,
      actions.map((a) => a.name),
    ),
  ];
}

/** Rules of the lifecycle that hold whatever the state: they need no declaration to be right. */
function lifecycleProblems(input: LinkStepInput, declared: string[]): string[] {
  const { record, after, event, beforeSnapshot } = input;
  const problems: string[] = [];
  const wasConnected = beforeSnapshot?.hasTag('connected') ?? false;
  const isConnected = after.hasTag('connected');
  // A parent that named the reports it takes without link.unready is told nothing of it.
  const hasParent =
    input.before.parent !== undefined && (input.before.policy.reports?.includes('link.unready') ?? true);
  const types = record.emitted.map((e) => e.type);
  const count = (type: string) => types.filter((t) => t === type).length;
  const unready = record.reports.filter((r) => r.type === 'link.unready').length;
  const command = event !== null && /^(link|reconnect)\./.test(event.type);
  // Tags by public state name (the chart is the model too: its own tags cannot judge it).
  const name = linkStateName(after.value);
  for (const [tag, states] of Object.entries(CONNECTION_TAG_CONTRACTS)) {
    if (after.hasTag(tag) !== states.includes(name)) {
      problems.push(`${name} ${after.hasTag(tag) ? 'has' : 'lacks'} the tag ${tag} (link-step-contracts.ts)`);
    }
  }
  if (wasConnected && !isConnected && hasParent && unready !== 1) {
    problems.push(`left connected with ${unready} link.unready report(s) to the parent, not 1`);
  }
  if (!wasConnected && isConnected && count('ready') !== 1) {
    problems.push(`became connected with ${count('ready')} ready event(s), not 1`);
  }
  if (wasConnected && !isConnected && !command && types[0] !== 'lost') {
    problems.push(`dropped out of connected without announcing lost first (emitted: ${types.join(', ')})`);
  }
  if (after.status === 'done') {
    const last = types.at(-1);
    const ends = count('failed') + count('closed');
    if (ends !== 1 || (last !== 'failed' && last !== 'closed')) {
      problems.push(`ended emitting ${types.join(', ') || 'nothing'}: one failed or closed must come last`);
    }
  }
  for (const id of record.scheduled) {
    if (id.split('.')[2] !== 'reconnectDelay') continue;
    const announced = (record.emitted as ConnectionEmittedLike[]).filter((e) => e.type === 'reconnecting');
    if (announced.length !== 1 || announced[0]?.delayMs !== record.timers.get(id)) {
      problems.push(
        `reconnect delay of ${record.timers.get(id)} ms scheduled, announced as ${deepJson(announced)}`,
      );
    }
  }
  // A socket closed and another opened in one step, not by "reconnect now": a retry at once
  // (a credentials refresh, a group restart), announced as any retry, with no delay.
  const atOnce =
    declared.includes('closeTransport') &&
    declared.includes('openTransport') &&
    event?.type !== 'link.reconnect';
  const retries = (record.emitted as ConnectionEmittedLike[]).filter((e) => e.type === 'reconnecting');
  if (atOnce && (retries.length !== 1 || retries[0]?.delayMs !== 0)) {
    problems.push(`retried at once, announced as ${deepJson(retries)}, not one reconnecting in 0 ms`);
  }
  if (!atOnce && retries.length > 0 && ![...record.scheduled].some((id) => id.includes('.reconnectDelay.'))) {
    problems.push('reconnecting announced, but no reconnect delay scheduled nor a retry made at once');
  }
  // "Reconnect now" means a fresh socket, wherever the chart acts on it.
  const fresh = declared.filter((name) => name === 'openTransport').length;
  if (event?.type === 'link.reconnect' && declared.length > 0 && fresh !== 1) {
    problems.push(`link.reconnect opened ${fresh} transport(s), not one fresh one`);
  }
  return problems;
}

interface ConnectionEmittedLike {
  type: string;
  delayMs?: number;
}
