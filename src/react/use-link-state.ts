/**
 * `useLinkState(link)`: the link's lifecycle state (`link.state`: idle, connecting, handshaking,
 * resuming, ready, closing, disconnected, reconnecting, suspended, coolingDown, rejoining, failed,
 * closed), read through `useSyncExternalStore`: the component
 * renders again when the state changes, and only then (messages, pings and queue changes do not
 * render it), with no tearing under concurrent rendering. Its server snapshot is `idle`, what every
 * server render shows, so hydration never mismatches.
 */
import { useCallback, useSyncExternalStore } from 'react';
import type { LinkStateName } from '../../machines/connection.machine.js';
import type { Link } from '../runtime/link.js';
import { describe } from '../util/describe.js';
import { optionError } from '../util/errors.js';

/** What a server render shows: its links never connect (no effect runs there). */
const serverState = (): LinkStateName => 'idle';

/**
 * The link's lifecycle state; the component renders again when it changes, and only then (messages,
 * pings and queue changes do not render it). On the server, and while hydrating what the server
 * rendered, it is `idle` (the server's links never connect), then the live state: hydrating next to
 * a link already live on the page (another island, a later Suspense boundary) matches the HTML.
 * Anything but a Link (null before one is made, a URL): LV_ERR_INVALID_OPTION naming `link`, on
 * the server too (where the state is never read).
 */
export function useLinkState(link: Link): LinkStateName {
  if (typeof (link as Partial<Link> | null)?.on !== 'function')
    throw optionError('link', `must be a linkvisor Link, got ${describe(link)}`);
  // React's store-change callback ignores the event's payload.
  const subscribe = useCallback((onChange: () => void) => link.on('state', onChange), [link]);
  return useSyncExternalStore(subscribe, () => link.state, serverState);
}
