/**
 * The shard statechart: the root actor of one XState system that up to LINKS_PER_SHARD links of
 * a supervisor share (machines/policy/shard.ts), or as many standalone links (the drop-in
 * ReconnectingWebSocket's, whose `parent` input is none: src/runtime/standalone-links.ts).
 *
 * Owns: how many of its links are live, and its own end (an empty shard that takes no more links
 * is over). Does not own: the links (their reports go to the socket chart, their `parent` input;
 * the shard never reads a link's context), which shard a link joins (the supervisor fills one
 * shard after the other).
 * Scope boundary: a link is created with the shard as its XState parent (`createActor(…, { parent
 * })`), not spawned: it shares the shard's system (clock, inspection observers, scheduler) but is
 * not in the shard's `snapshot.children`, which XState copies on every spawn and stop. A link that
 * ends (final state) or fails tells its parent with `xstate.done.actor.<id>` /
 * `xstate.error.actor.<id>`; the shard counts both (an error not taken would fail the shard).
 *
 *   open ──shard.add (links joined, full or not)──→ open
 *     └──xstate.done.actor.* / xstate.error.actor.* ──[last live link of a full shard]→ over (final)
 *
 * Pure: no I/O, no timers.
 */
import { assign, setup } from 'xstate';
import { uniformTransitions } from './uniform-transitions.js';

/** What a shard is started with: how many links it takes in all. */
export interface ShardInput {
  capacity: number;
}

/** The shard's context: links joined so far, links live now, how many it takes. */
export interface ShardContext {
  capacity: number;
  /** Links that have joined the shard (never more than `capacity`). */
  joined: number;
  /** Joined links that have not ended yet. */
  live: number;
}

/** What the shard hears: links joining (one event per start slice), and its links' ends. */
export type ShardEvent =
  | { type: 'shard.add'; links: number }
  | { type: `xstate.done.actor.${string}` }
  | { type: `xstate.error.actor.${string}`; error: unknown };

/** The shard chart: counts the links that join and end, and is over when the last of a full shard ends. */
export const shardMachine = setup({
  // Stryker disable next-line ObjectLiteral: types only (no runtime value)
  types: {
    context: {} as ShardContext,
    input: {} as ShardInput,
    events: {} as ShardEvent,
  },
  actions: {
    /** Links joined (created with this shard as their parent, not yet started). */
    countJoined: assign(({ context }, links: number) => ({
      joined: context.joined + links,
      live: context.live + links,
    })),
    /** One of the shard's links ended (done or failed). */
    countEnded: assign(({ context }) => ({ live: context.live - 1 })),
  },
  guards: {
    /** The link that ended was the last live one, and no more will join. */
    lastLink: ({ context }) => context.live === 1 && context.joined >= context.capacity,
  },
}).createMachine(
  uniformTransitions({
    id: 'shard',
    context: ({ input }) => ({ capacity: input.capacity, joined: 0, live: 0 }),
    initial: 'open',
    states: {
      open: {
        description: 'Takes links while it has room; counts the live ones.',
        on: {
          'shard.add': {
            description: 'Links of a start slice joined (created with this shard as their parent).',
            actions: { type: 'countJoined', params: ({ event }) => event.links },
          },
          'xstate.done.actor.*': [
            {
              guard: 'lastLink',
              target: 'over',
              description: 'The last live link of a full shard ended: the shard is over.',
            },
            { actions: 'countEnded', description: 'A link ended (its final state).' },
          ],
          'xstate.error.actor.*': [
            {
              guard: 'lastLink',
              target: 'over',
              description: 'The last live link of a full shard failed: the shard is over.',
            },
            { actions: 'countEnded', description: 'A link failed (its runtime reports why).' },
          ],
        },
      },
      over: { type: 'final', description: 'No link is live and none will join (its system is released).' },
    },
  }),
);
