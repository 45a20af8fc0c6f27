/**
 * Links spawned by application machines. `defineLink(url, options)` returns the connection chart,
 * ready-provided with a transport (ws by default), for an application's own machine to
 * `spawnChild`, plus `input()` to build each child's input and `handle(ref)` for its data plane:
 *
 *   const feed = defineLink('wss://example.org/feed', { heartbeat: { intervalMs: 15_000 } });
 *   setup({ actors: { feed: feed.machine } }).createMachine({
 *     entry: spawnChild('feed', { id: 'feed', input: ({ self }) => feed.input({ parent: self }) }),
 *     on: { 'link.ready': …, 'link.reconnecting': …, 'link.failed': … },
 *   });
 *   feed.handle(actor.getSnapshot().children.feed).send('hello');
 *
 * The child reports `link.ready`, `link.reconnecting`, `link.lost`, `link.failed`, `link.closed`
 * (and `link.message` with `forwardMessages: true`) to `parent`; stop it with `link.close`.
 */
import type { AnyActorRef } from 'xstate';
import type { ConnectionActorRef, ConnectionInput } from '../../machines/connection.machine.js';
import type { Transport } from '../transports/transport.js';
import { wsTransport } from '../transports/ws-transport.js';
import { systemClock } from '../util/clock.js';
import { describe, isRecord } from '../util/describe.js';
import { optionError } from '../util/errors.js';
import { checkClock, checkKnownKeys, checkNumber } from '../util/option-checks.js';
import { wallTimeOf } from '../util/wall-time.js';
import { Link } from './link.js';
import { LINK_FEATURES } from './link-features.js';
import { buildLinkParts, randomSeed } from './link-parts.js';
import type { UrlInput } from './link-template.js';
import { LinkWire } from './link-wire.js';
import { checkLinkOptions, type LinkOptions } from './options.js';
import { provideRuntime } from './provide-runtime.js';
import { checkTransport } from './supervisor-options.js';

/** What `defineLink` runs links with: the transport (default `ws`) and clock. */
export interface DefineLinkEnv {
  /** Default: `ws` (Node). */
  transport?: Transport;
  /** Clock for round-trip and drain timing; use the clock the parent actor runs on. */
  clock?: import('../util/clock.js').Clock;
}

/**
 * What `definition.input()` takes for one spawned link: its id, its parent, whether inbound
 * messages are forwarded as `link.message` events, a seed.
 */
export interface LinkInputOptions {
  /** Child id within the definition; the link id is `link:<id>`. Default: a counter. */
  id?: string;
  /** The actor to report `link.*` events to (pass `self` in spawnChild's input mapper). */
  parent?: AnyActorRef;
  /** Also send every inbound message to `parent` as `{ type: 'link.message', linkId, data }`
   * (one actor event per message: fine for low rates; use `handle(ref).on('message')` for speed). */
  forwardMessages?: boolean;
  /** Seed of the backoff jitter. */
  seed?: number;
}

/**
 * A link ready to be spawned by your own machine: the provided chart, the input for `spawnChild`,
 * and `handle(ref)` for its data plane (`send`, `on('message')`).
 */
export interface LinkDefinition {
  /** The connection chart, provided with the transport: put it in your `setup({ actors })`. */
  readonly machine: ReturnType<typeof provideRuntime>;
  /** Input for one spawned link (call it in spawnChild's input mapper). */
  input(options?: LinkInputOptions): ConnectionInput;
  /** The data plane (send, on('message'), status…) of a spawned link. */
  handle(ref: AnyActorRef): Link;
}

const INPUT_KEYS: ReadonlySet<string> = new Set(['id', 'parent', 'forwardMessages', 'seed']);

/** input()'s options, checked at once (a bad seed or parent would fail the link's actor later):
 * LV_ERR_INVALID_OPTION or LV_ERR_UNKNOWN_OPTION naming the option. */
function checkInputOptions(options: unknown): LinkInputOptions {
  if (options === undefined) return {};
  if (!isRecord(options)) throw optionError('options', `must be an object, got ${describe(options)}`);
  checkKnownKeys(options, INPUT_KEYS, '');
  const { id, parent, forwardMessages, seed } = options;
  if (id !== undefined && (typeof id !== 'string' || id === ''))
    throw optionError('id', `must be a non-empty string, got ${describe(id)}`);
  const ref = parent as { send?: unknown; getSnapshot?: unknown } | null | undefined;
  if (parent !== undefined && (typeof ref?.send !== 'function' || typeof ref.getSnapshot !== 'function'))
    throw optionError('parent', `must be an actor, got ${describe(parent)}`);
  if (forwardMessages !== undefined && typeof forwardMessages !== 'boolean')
    throw optionError('forwardMessages', `must be a boolean, got ${describe(forwardMessages)}`);
  if (seed !== undefined) checkNumber(seed, 'seed', { min: -(2 ** 53), integer: true });
  return options as LinkInputOptions;
}

/** The link id of a link spawned with no input, or one input() did not make (never `link:…`). */
const NOT_AN_INPUT = '(not from input())';

const ENV_KEYS: ReadonlySet<string> = new Set(['transport', 'clock']);

/** defineLink's `env`, checked: LV_ERR_INVALID_OPTION / LV_ERR_UNKNOWN_OPTION naming `env.<key>`. */
function checkEnv(env: unknown): void {
  if (!isRecord(env)) throw optionError('env', `must be an object, got ${describe(env)}`);
  checkKnownKeys(env, ENV_KEYS, 'env');
  if ('clock' in env && env.clock !== undefined) checkClock(env.clock, 'env.clock');
  if ('transport' in env && env.transport !== undefined) checkTransport(env.transport, 'env.transport');
}

/** The link id of `ref`, a link actor (LV_ERR_INVALID_OPTION naming `ref` for anything else). */
function linkIdOf(ref: AnyActorRef): string {
  let linkId: unknown;
  try {
    linkId = (ref as ConnectionActorRef).getSnapshot().context.linkId;
  } catch {
    // not an actor, or not one of a connection chart: refused below
  }
  if (typeof linkId !== 'string') throw optionError('ref', `must be a link actor, got ${describe(ref)}`);
  return linkId;
}

/**
 * The connection chart provided with a transport, for application machines that spawn links
 * themselves (`spawnChild('feed', { input: ... })`); options are checked at once, as
 * `supervisor.connect` checks them.
 */
export function defineLink(
  url: UrlInput,
  options: LinkOptions = {},
  env: DefineLinkEnv = {},
): LinkDefinition {
  checkEnv(env);
  const transport = env.transport ?? wsTransport;
  const clock = env.clock ?? systemClock;
  /** status()'s timestamps, through the same clock. */
  const wallNow = wallTimeOf(clock);
  const linkOptions = checkLinkOptions(options);
  // Validate the URL and policy now, not at spawn time. Its input is the one a link spawned with no
  // input of input() runs (below).
  const refused = buildLinkParts(NOT_AN_INPUT, url, linkOptions, {
    transport,
    clock,
    seed: 0,
    ...LINK_FEATURES,
  }).input;
  const wires = new Map<string, LinkWire>();
  const handles = new Map<string, Link>();
  const watched = new WeakSet<AnyActorRef>();
  /** The wire each actor runs: its id's wire when it first looked (its first action, or its
   * handle). An input serves one link: another actor started with it (the same input twice, or
   * another definition's input with the same id) gets no wire, so it fails (LV_ERR_NO_TRANSPORT)
   * and cannot end the first's socket. A link keeps its own wire when its id is used again (a new
   * input() with the same id while it still closes): the new input's wire is the new link's. */
  const wireOf = new WeakMap<AnyActorRef, LinkWire>();
  const claimed = new WeakSet<LinkWire>();
  /** Wires whose link ended (`release`): no handle for them. */
  const ended = new WeakSet<LinkWire>();
  /** The wire `actor` runs for `linkId` (claiming the id's wire if nobody runs it yet). */
  const wireFor = (linkId: string, actor: AnyActorRef | undefined): LinkWire | undefined => {
    if (actor === undefined) return wires.get(linkId);
    const own = wireOf.get(actor);
    if (own !== undefined) return ended.has(own) ? undefined : own;
    const wire = wires.get(linkId);
    if (!wire || claimed.has(wire)) return undefined;
    claimed.add(wire);
    wireOf.set(actor, wire);
    return wire;
  };
  let counter = 0;

  /** Forgets a link's wire and handle, unless a newer link with the same id replaced them (a
   * child stopped and spawned again with the same id). */
  const release = (linkId: string, wire: LinkWire | undefined) => {
    // A stopped link actor runs no exit action: its attempt (socket) ends here, as a terminated
    // socket's (what it still held or read is reported `unread`, never delivered to a stopped actor).
    if (wire) {
      wire.ending = true;
      wire.endAttempt();
    }
    if (wire) ended.add(wire);
    if (!wire || wires.get(linkId) !== wire) return;
    wire.dropQueued();
    wires.delete(linkId);
    handles.delete(linkId);
  };

  const machine = provideRuntime(
    (linkId, _parent, self) => wireFor(linkId, self),
    (attempt) => {
      // First attempt of a spawned link: forget its wire when the link ends or is stopped.
      if (watched.has(attempt.link)) return;
      watched.add(attempt.link);
      const wire = wireFor(attempt.linkId, attempt.link);
      const subscription = attempt.link.subscribe({
        next: (snapshot: { status: string }) => {
          if (snapshot.status !== 'active') {
            subscription.unsubscribe();
            release(attempt.linkId, wire);
          }
        },
        complete: () => release(attempt.linkId, wire),
        error: () => release(attempt.linkId, wire),
      });
    },
  );

  // Spawned with no input (`spawnChild('feed', { id })`, XState's input being optional) or with
  // one input() did not make (its options, `{ id: 'feed' }`), the chart read `undefined.linkId`: a
  // TypeError and the link actor in an error state. Such a link runs `refused`, whose id no input()
  // makes (`link:` leads each of theirs), so it finds no wire and fails at once, LV_ERR_NO_TRANSPORT,
  // as an input of another definition does. (`machine` is this definition's own copy of the chart.)
  const initial = machine.getInitialSnapshot.bind(machine);
  machine.getInitialSnapshot = (scope, input) =>
    initial(scope, (input as { linkId?: string } | null)?.linkId ? (input as never) : refused);

  return {
    machine,
    input(options?: LinkInputOptions) {
      const inputOptions = checkInputOptions(options);
      const linkId = `link:${inputOptions.id ?? ++counter}`;
      const parts = buildLinkParts(linkId, url, linkOptions, {
        transport,
        clock,
        seed: inputOptions.seed ?? randomSeed(),
        ...LINK_FEATURES,
        ...(inputOptions.parent ? { parent: inputOptions.parent } : {}),
        ...(inputOptions.forwardMessages && inputOptions.parent ? { forwardTo: inputOptions.parent } : {}),
      });
      wires.set(linkId, new LinkWire(parts.wire));
      return parts.input;
    },
    handle(ref: AnyActorRef) {
      const actor = ref as ConnectionActorRef;
      const linkId = linkIdOf(ref);
      const existing = handles.get(linkId);
      if (existing && existing.actor === actor) return existing;
      const wire = wireFor(linkId, actor);
      if (!wire) {
        throw optionError(
          'ref',
          `${linkId} was not made by this definition's input(), or its link has ended, or another link runs it`,
        );
      }
      // Not the link's root (its parent machine stops it): the link only forgets its wire.
      const link = new Link(actor, wire, {
        ownsActor: false,
        linkEnded: () => release(linkId, wire),
        wallNow,
      });
      handles.set(linkId, link);
      return link;
    },
  };
}
