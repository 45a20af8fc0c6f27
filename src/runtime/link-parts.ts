/**
 * One link's parts from its template (./link-template.ts): the chart's input, with the link's id,
 * seed and parent, and its wire's parts (a queue of its own). Also a link `connect()` has booked
 * and not started, and the random seed of a link whose jitter need not be reproducible. Shared by
 * the supervisor, `defineLink` (links spawned by application machines) and standalone links.
 */
import type { AnyActorRef } from 'xstate';
import { type ConnectionInput, type LinkPolicy, resolvePolicy } from '../../machines/connection.machine.js';
import type { WireSource } from './link-host.js';
import { type LinkEnv, type LinkTemplate, linkTemplate, type UrlInput } from './link-template.js';
import { LinkWire } from './link-wire.js';
import type { LinkOptions } from './options.js';
import type { WireParts } from './wire-config.js';

export interface LinkParts {
  input: ConnectionInput;
  wire: WireParts;
}

/** Validates the URL (when static) and turns options into chart input and wire config. */
export function buildLinkParts(linkId: string, url: UrlInput, options: LinkOptions, env: LinkEnv): LinkParts {
  return linkParts(linkTemplate(url, options, env, linkId), linkId, env);
}

/** One link's parts from a template: its id, seed, parent and a queue of its own. */
export function linkParts(template: LinkTemplate, linkId: string, env: LinkEnv): LinkParts {
  return {
    input: linkInput(template.input, linkId, env.seed, autoConnectOf(template), env.parent),
    wire: linkWireParts(template, linkId, env.forwardTo),
  };
}

/** One link's wire parts from a template: its id (it makes its queue when it first queues). */
export function linkWireParts(template: LinkTemplate, linkId: string, forwardTo?: AnyActorRef): WireParts {
  return { linkId, config: template.wire, forwardTo };
}

/**
 * A link's chart input: an object literal of fixed leading keys, the optional ones appended. The
 * actor keeps its input for its whole life; built by spreading first (`{ ...input,
 * reconnectEnabled }`), V8 (Node 20) gave every link's input a hidden class of its own (~280 B a
 * link: a map and its descriptor array, measured with heap snapshots); keys added to a literal
 * follow shared transitions, so links with the same options share one.
 */
export function linkInput(
  t: LinkTemplate['input'],
  linkId: string,
  seed: number | undefined,
  autoConnect: false | undefined,
  parent: AnyActorRef | undefined,
  reconnectEnabled?: boolean,
): ConnectionInput {
  return {
    linkId,
    label: t.label,
    inProcess: t.inProcess,
    hasHandshake: t.hasHandshake,
    backoff: t.backoff,
    timeouts: t.timeouts,
    heartbeat: t.heartbeat,
    seed,
    parent,
    reconnectEnabled,
    // Set by the socket chart (`peerInput`: `{ ...input, reconnectEnabled, reports }`): a key the
    // input already has, or V8 (Node 20) gives every clone that adds it a hidden class of its own
    // once that spread is optimised (a map and descriptor array a link, and every read of the
    // input after it a lookup: the actor's input took 2.7 µs a link, 0.5 without; BENCHMARKS.md
    // round 29 (open)).
    reports: undefined,
    ...(t.resume ? { resume: t.resume } : {}),
    ...(t.intensity === undefined ? {} : { intensity: t.intensity }),
    ...(t.network ? { network: t.network } : {}),
    ...(t.perAttempt ? { perAttempt: t.perAttempt } : {}),
    ...(autoConnect === false ? { autoConnect } : {}),
  };
}

/**
 * The input as the link's actor keeps it for its whole life: the link's own values and the one
 * shared frozen policy its parts resolve to (`resolvePolicy`: links with the same options share
 * it), so six fields, not the eleven parts (−40 B a link, BENCHMARKS.md round 13). The same keys in
 * the same order for every link (the socket chart hands the supervisor `{ ...input, … }`, whose
 * hidden class V8 makes per object; see linkInput). An instance of a class, not a literal: V8
 * fits a class's objects to the fields its constructor sets (slack tracking), where a literal
 * with spread parts kept room for 15 fields (32 B a link more, heap snapshots).
 */
export function sharedShapeInput(input: ConnectionInput): ConnectionInput {
  return new ActorInput(input);
}

class ActorInput implements ConnectionInput {
  // Declared, not defined: a class field is code of its own in the bundle; the constructor sets them.
  declare readonly linkId: string;
  declare readonly label: string;
  declare readonly seed: ConnectionInput['seed'];
  declare readonly parent: ConnectionInput['parent'];
  declare readonly reconnectEnabled: ConnectionInput['reconnectEnabled'];
  declare readonly policy: LinkPolicy;

  constructor(input: ConnectionInput) {
    this.linkId = input.linkId;
    this.label = input.label;
    this.seed = input.seed;
    this.parent = input.parent;
    this.reconnectEnabled = input.reconnectEnabled;
    this.policy = resolvePolicy(input);
  }
}

/** The input's `autoConnect`: absent unless the template turns it off. */
function autoConnectOf(template: LinkTemplate): false | undefined {
  return template.autoConnect ? undefined : false;
}

/**
 * A link `connect()` has booked and not started: its template and seed, all the supervisor keeps
 * until the link's turn. Its wire (queue, listeners, secrets) is made when the link starts, or
 * earlier if the application sends, listens or asks for its status first.
 */
export class LinkBooking implements WireSource {
  constructor(
    readonly linkId: string,
    readonly template: LinkTemplate,
    readonly seed: number,
  ) {}

  makeWire(): LinkWire {
    return new LinkWire(linkWireParts(this.template, this.linkId));
  }

  /** The chart input of the booked link. */
  input(parent: AnyActorRef, reconnectEnabled?: boolean): ConnectionInput {
    return linkInput(
      this.template.input,
      this.linkId,
      this.seed,
      autoConnectOf(this.template),
      parent,
      reconnectEnabled,
    );
  }
}

/**
 * A random 32-bit seed for links whose jitter need not be reproducible: a signed one, the same
 * 2^32 seeds as an unsigned one to the chart's `seedRandom` (it reads a seed as a 32-bit integer),
 * but a small integer to V8 where an unsigned one above 2^31 is a 16-byte heap number (per link:
 * its input keeps the seed for the link's whole life).
 */
export function randomSeed(): number {
  return (Math.random() * 2 ** 32) | 0;
}
