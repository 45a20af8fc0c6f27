/**
 * `useLinkState(link)`: the link's lifecycle state (idle, connecting, handshaking, ready,
 * reconnecting, closing, closed, failed), read through `useSyncExternalStore`: the component
 * renders again when the state changes, and only then (messages, pings and queue changes do not
 * render it), with no tearing under concurrent rendering.
 */
import { useCallback, useSyncExternalStore } from 'react';
import type { LinkStateName } from '../../machines/connection.machine.js';
import type { Link } from '../runtime/link.js';

/**
 * The link's lifecycle state; the component renders again when it changes, and only then (messages,
 * pings and queue changes do not render it).
 */
export function useLinkState(link: Link): LinkStateName {
  const subscribe = useCallback((onChange: () => void) => link.on('state', () => onChange()), [link]);
  const read = useCallback(() => link.state, [link]);
  return useSyncExternalStore(subscribe, read, read);
}
