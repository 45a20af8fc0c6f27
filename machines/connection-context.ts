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

/** The option objects of the last input resolved, when none of them can change (frozen), and
 * their policy: links made from one template share them, so most links need no key (a JSON key
 * per link was ~10 % of connect()). */
let last: unknown[] | null = null;
/** Where the policy sits in `last`, after the input's parts. */
const PARTS = 11;

/** The input's policy numbers over the defaults, as the one shared frozen object for them. */
export function resolvePolicy(
  input: Pick<
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
  >,
): LinkPolicy {
  const parts = [
    input.backoff,
    input.timeouts,
    input.heartbeat,
    input.intensity,
    input.perAttempt,
    input.network,
    input.resume,
    input.inProcess,
    input.hasHandshake,
    input.autoConnect,
    input.reports,
  ] as const;
  // A fast path only: without it the shared map below gives the same policy object.
  // Stryker disable next-line ConditionalExpression,ArrowFunction,OptionalChaining: the fast path off is the same policy, later
  if (last && parts.every((part, i) => part === last?.[i])) return last[PARTS] as LinkPolicy;
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
  // Stryker disable next-line ArrowFunction,ConditionalExpression,ArrayDeclaration,LogicalOperator: no fast path (never taken) is the same policy, later
  last = parts.every((part) => !part || Object.isFrozen(part)) ? [...parts, policy] : null;
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
