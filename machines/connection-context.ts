/**
 * A link's initial context: the input over the policy defaults, resolved once per distinct set
 * of numbers into one shared frozen `LinkPolicy` (10,000 links with the same options share it).
 *
 * The context has at most 19 own fields (16 always, `stableInMs`, `previousReason` and
 * `intensity` when set): XState's assign copies it with `Object.assign({}, context, update)`, and
 * V8 builds a copy of 20 fields or more in dictionary mode — measured on Node 20, one assign
 * 0.6–1 µs at 19 fields, 9–10 µs at 20 and more, with a larger object for the collector. The
 * link's constant traits (in-process, handshake, auto-connect) therefore live in the shared
 * policy, not in the context (test/machines/context-shape.test.ts holds the line).
 */

import type { ConnectionContext, ConnectionInput, LinkPolicy } from './connection-types.js';
import { BACKOFF_DEFAULTS, type BackoffOptions, initialBackoffState } from './policy/backoff.js';
import { HEARTBEAT_DEFAULTS } from './policy/heartbeat.js';
import { INTENSITY_DEFAULTS } from './policy/intensity.js';
import { NETWORK_DEFAULTS } from './policy/network.js';
import { seedRandom } from './policy/random.js';
import { RESUME_DEFAULTS } from './policy/resume.js';
import { TIMEOUT_DEFAULTS } from './policy/timeouts.js';

/** Unlimited attempts as a finite number: context must survive a JSON round trip (∞ → null). */
function withFiniteAttempts(backoff: BackoffOptions): BackoffOptions {
  return Number.isFinite(backoff.maxAttempts)
    ? backoff
    : { ...backoff, maxAttempts: Number.MAX_SAFE_INTEGER };
}

/** Resolved policies by their numbers: 10,000 links with the same options share one frozen
 * object instead of three copies each. Bounded: an application with ever-new numbers only
 * loses the sharing. */
const sharedPolicies = new Map<string, LinkPolicy>();
const MAX_SHARED_POLICIES = 256;

/** The input parts `resolvePolicy` reads. */
type PolicyParts = Pick<
  ConnectionInput,
  | 'backoff'
  | 'timeouts'
  | 'heartbeat'
  | 'resume'
  | 'intensity'
  | 'perAttempt'
  | 'network'
  | 'inProcess'
  | 'hasHandshake'
  | 'autoConnect'
  | 'reports'
>;

/** The parts of the last input resolved, when none of them can change (frozen), and their
 * policy: links made from one template share them, so most links need no key (a JSON key per link
 * was ~10 % of connect()). Compared part by part, with no array or closure per call (an 11-part
 * array and an `every` were the runtime's largest self time per open, BENCHMARKS.md round 29). */
let last: { parts: PolicyParts; policy: LinkPolicy } | null = null;

/** Whether every part of `input` is the very part of `seen` (values, or the same frozen objects). */
function sameParts(seen: PolicyParts, input: PolicyParts): boolean {
  // Stryker disable EqualityOperator: a part taken for another only takes the slow path (the same policy, later)
  return (
    seen.backoff === input.backoff &&
    seen.timeouts === input.timeouts &&
    seen.heartbeat === input.heartbeat &&
    seen.intensity === input.intensity &&
    seen.perAttempt === input.perAttempt &&
    seen.network === input.network &&
    seen.resume === input.resume &&
    seen.inProcess === input.inProcess &&
    seen.hasHandshake === input.hasHandshake &&
    seen.autoConnect === input.autoConnect &&
    seen.reports === input.reports
  );
  // Stryker restore EqualityOperator
}

/** The input's policy numbers over the defaults, as the one shared frozen object for them. */
export function resolvePolicy(input: PolicyParts): LinkPolicy {
  // A fast path only: without it the shared map below gives the same policy object.
  // Stryker disable next-line ConditionalExpression,LogicalOperator: the fast path off is the same policy, later
  if (last && sameParts(last.parts, input)) return last.policy;
  const backoff = withFiniteAttempts({ ...BACKOFF_DEFAULTS, ...input.backoff });
  const timeouts = { ...TIMEOUT_DEFAULTS, ...input.timeouts };
  const heartbeat = { ...HEARTBEAT_DEFAULTS, ...input.heartbeat };
  const resume = input.resume
    ? {
        resumeTimeoutMs: input.resume.resumeTimeoutMs ?? RESUME_DEFAULTS.resumeTimeoutMs,
        ackDelayMs: input.resume.ackDelayMs ?? RESUME_DEFAULTS.ackDelayMs,
      }
    : null;
  const intensity = input.intensity === false ? null : { ...INTENSITY_DEFAULTS, ...input.intensity };
  const perAttempt = input.perAttempt === true;
  const network = { ...NETWORK_DEFAULTS, ...input.network };
  const inProcess = input.inProcess ?? false;
  const hasHandshake = input.hasHandshake ?? false;
  const autoConnect = input.autoConnect ?? true;
  const reports = input.reports ? [...input.reports] : null;
  const key = JSON.stringify([
    backoff,
    timeouts,
    heartbeat,
    intensity,
    perAttempt,
    network,
    resume,
    inProcess,
    hasHandshake,
    autoConnect,
    reports,
  ]);
  let policy = sharedPolicies.get(key);
  if (!policy) {
    // Stryker disable next-line EqualityOperator: one policy more or less before the map is cleared
    if (sharedPolicies.size >= MAX_SHARED_POLICIES) sharedPolicies.clear();
    policy = Object.freeze({
      backoff: Object.freeze(backoff),
      timeouts: Object.freeze(timeouts),
      heartbeat: Object.freeze(heartbeat),
      resume: resume && Object.freeze(resume),
      intensity: intensity && Object.freeze(intensity),
      perAttempt,
      network: Object.freeze(network),
      inProcess,
      hasHandshake,
      autoConnect,
      reports: reports && Object.freeze(reports),
    });
    sharedPolicies.set(key, policy);
  }
  const parts: PolicyParts = {
    backoff: input.backoff,
    timeouts: input.timeouts,
    heartbeat: input.heartbeat,
    intensity: input.intensity,
    perAttempt: input.perAttempt,
    network: input.network,
    resume: input.resume,
    inProcess: input.inProcess,
    hasHandshake: input.hasHandshake,
    autoConnect: input.autoConnect,
    reports: input.reports,
  };
  // Stryker disable next-line ArrowFunction,ConditionalExpression,LogicalOperator,MethodExpression: no fast path (never taken) is the same policy, later
  last = Object.values(parts).every((part) => !part || Object.isFrozen(part)) ? { parts, policy } : null;
  return policy;
}

/**
 * The connection chart's initial context for a link's input: the policies (backoff, heartbeat,
 * queue, timeouts) resolved against their defaults, the retry state seeded.
 */
export function createConnectionContext(input: ConnectionInput): ConnectionContext {
  return {
    linkId: input.linkId,
    label: input.label,
    parent: input.parent,
    reconnectEnabled: input.reconnectEnabled ?? true,
    policy: input.policy ?? resolvePolicy(input),
    retry: initialBackoffState(seedRandom(input.seed ?? 0)),
    nextDelayMs: null,
    reason: null,
    lastError: null,
    failure: null,
    missedPongs: 0,
    pongSeen: false,
    rttMs: null,
    pingOutstanding: false,
    stable: false,
    readyCount: 0,
  };
}
