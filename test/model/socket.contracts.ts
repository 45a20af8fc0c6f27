/**
 * What each named action and delay of the socket chart must do, written apart from the chart:
 * the oracle of the per-step check of the socket's generated paths (src/testing/chart-step-check.ts).
 * The effects on links (spawnPeer, closePeer, tellPeers) belong to the runtime: the links' own
 * states, checked by the model at every step, show them.
 */
import type { EventObject } from 'xstate';
import { LINGER_DEFAULT_MS } from '../../machines/policy/timeouts.js';
import type { GroupCount, SocketContext, SocketEmitted, SocketInput } from '../../machines/socket.machine.js';
import type { ChartContracts } from '../../src/testing/chart-step-check.js';

/** `link:<group>/<n>` is endpoint n of a group; any other id is a single link. */
function groupOfId(linkId: string): string | null {
  const match = /^link:(.+)\/[^/]*$/.exec(linkId);
  return match?.[1] ?? null;
}

function linkIdOf(event: EventObject): string {
  const e = event as { linkId?: string; input?: { linkId: string } };
  return e.linkId ?? e.input?.linkId ?? '';
}

/** The groups' counts after `delta` for the group of `linkId` (a group with nothing left goes). */
function counted(groups: Record<string, GroupCount>, linkId: string, delta: Partial<GroupCount>) {
  const group = groupOfId(linkId);
  if (group === null) return groups;
  const was = groups[group] ?? { peers: 0, ready: 0 };
  const now = { peers: was.peers + (delta.peers ?? 0), ready: was.ready + (delta.ready ?? 0) };
  const { [group]: _gone, ...rest } = groups;
  return now.peers > 0 || now.ready > 0 ? { ...rest, [group]: now } : rest;
}

const edges = (params: unknown) => (params as { edges?: boolean } | undefined)?.edges === true;
const nothing = {};

export const SOCKET_CONTRACTS: ChartContracts<SocketContext> = {
  where: 'test/model/socket.contracts.ts',
  actions: {
    spawnPeer: nothing,
    closePeer: nothing,
    tellPeers: nothing,
    countPeer: {
      assigns: (context, event) =>
        event.type === 'peer.add'
          ? { peers: context.peers + 1, groups: counted(context.groups, linkIdOf(event), { peers: 1 }) }
          : {},
    },
    countReady: {
      assigns: (context, event) =>
        event.type === 'link.ready'
          ? { ready: context.ready + 1, groups: counted(context.groups, linkIdOf(event), { ready: 1 }) }
          : {},
      // An edge: the count this action leaves is the first (1 ready) or the last (0) one.
      emits: (context, event, params) => {
        if (event.type !== 'link.ready' || !edges(params)) return null;
        const out: SocketEmitted[] = [];
        if (context.ready === 1) out.push({ type: 'socket.up' });
        const group = groupOfId(linkIdOf(event));
        if (group !== null && context.groups[group]?.ready === 1) out.push({ type: 'group.up', group });
        return out;
      },
    },
    countUnready: {
      assigns: (context, event) =>
        event.type === 'link.unready'
          ? { ready: context.ready - 1, groups: counted(context.groups, linkIdOf(event), { ready: -1 }) }
          : {},
      emits: (context, event, params) => {
        if (event.type !== 'link.unready' || !edges(params)) return null;
        const out: SocketEmitted[] = [];
        if (context.ready === 0) out.push({ type: 'socket.down' });
        const group = groupOfId(linkIdOf(event));
        if (group !== null && (context.groups[group]?.ready ?? 0) === 0)
          out.push({ type: 'group.down', group });
        return out;
      },
    },
    countGone: {
      assigns: (context, event) =>
        event.type === 'link.closed' || event.type === 'link.failed'
          ? { peers: context.peers - 1, groups: counted(context.groups, linkIdOf(event), { peers: -1 }) }
          : {},
    },
    setReconnect: {
      assigns: (_context, _event, params) => ({
        reconnectEnabled: (params as { enabled: boolean }).enabled,
      }),
    },
  },
  delays: { linger: (context) => context.lingerMs },
};

/** The context a socket must start with, from its input. */
export function initialSocketContext(input: SocketInput): SocketContext {
  return {
    lingerMs: input.lingerMs ?? LINGER_DEFAULT_MS,
    peers: 0,
    ready: 0,
    groups: {},
    reconnectEnabled: input.reconnectEnabled ?? true,
  };
}
