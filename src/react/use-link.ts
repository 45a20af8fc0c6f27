/**
 * `useLink(url, options)`: the link for this component, shared with every component of the page
 * that asks for the same one (same supervisor, same URL, same options), and connected as long as
 * one of them is mounted. See docs/react.md.
 *
 * - StrictMode: its double render peeks the same idle link, its simulated unmount and remount
 *   keeps it (shared-registry.ts): one socket.
 * - Re-keyed when the URL or any option's data changes (a new link; the old one closes once no
 *   component uses it). Functions in the options (a URL provider, `handshake`, `shouldReconnect`,
 *   `heartbeat.ping`…) are not part of the key: the link calls the latest committed render's.
 * - Closed (with its drain, the server sees a clean close) when the last component using it
 *   unmounts.
 */
import type { Link } from '../runtime/link.js';
import type { UrlInput } from '../runtime/link-template.js';
import type { LinkOptions } from '../runtime/options.js';
import type { Supervisor } from '../runtime/supervisor.js';
import { describe, isRecord } from '../util/describe.js';
import { optionError } from '../util/errors.js';
import { SharedRegistry } from './shared-registry.js';
import { forwardCallbacks, stableKey } from './stable-key.js';
import { useSupervisor } from './supervisor-context.js';
import { useShared, useUser } from './use-shared.js';

/**
 * Options of `useLink`: a link's options (`supervisor.connect`), plus the key that tells links
 * apart.
 */
export interface UseLinkOptions extends LinkOptions {
  /** Links with different keys are different links, even to the same URL with the same options;
   * change it to start a new link (e.g. a retry counter after `failed`). With it (or an `id`),
   * components share a link whose URL is a function (otherwise it is this component's own). */
  key?: string;
  /** The supervisor the link belongs to. Default: the `LinkvisorProvider`'s, else the page's. */
  supervisor?: Supervisor;
}

interface LinkInput {
  url: UrlInput;
  options: LinkOptions;
}

const NO_IDENTITY: ReadonlySet<string> = new Set();

const registries = new WeakMap<Supervisor, SharedRegistry<Link, LinkInput>>();

function registryOf(supervisor: Supervisor): SharedRegistry<Link, LinkInput> {
  let registry = registries.get(supervisor);
  if (!registry) {
    registry = new SharedRegistry<Link, LinkInput>({
      create(input, latest) {
        const { url, options } = forwardCallbacks(input, latest, NO_IDENTITY);
        return supervisor.connect(url, { ...options, ...freeId(supervisor, options.id), autoConnect: false });
      },
      start(link, input) {
        if (input.options.autoConnect !== false && link.state === 'idle') link.connect();
      },
      dispose(link) {
        void link.close().catch(() => {});
      },
    });
    registries.set(supervisor, registry);
    // Closed: its renders' reservations go now, and the chart's sweep timer with them (the
    // registry stays: a component still mounted renders its closed link from it).
    const held = registry;
    supervisor.on('closed', () => held.disposeReservations());
  }
  return registry;
}

/** An explicit id, made unique while the link it names is still closing (a re-keyed link with the
 * same id): `feed`, then `feed:2`… */
function freeId(supervisor: Supervisor, id: string | undefined): { id?: string } {
  if (id === undefined) return {};
  let candidate = id;
  for (let n = 2; supervisor.get(candidate); n++) candidate = `${id}:${n}`;
  return { id: candidate };
}

/**
 * The link to `url` for this component (see the file header). Throws, during render, what
 * `supervisor.connect()` throws for bad options (LV_ERR_INVALID_OPTION naming the option), and
 * LV_ERR_INVALID_OPTION naming `options` for options that are no object (null, a string).
 */
export function useLink(url: UrlInput, options: UseLinkOptions = {}): Link {
  const raw: unknown = options;
  if (!isRecord(raw)) throw optionError('options', `must be an object, got ${describe(raw)}`);
  const { key: ownKey, supervisor: own, ...linkOptions } = options;
  const supervisor = useSupervisor(own);
  const registry = registryOf(supervisor);
  const user = useUser();
  // A URL function is this component's own, unless a key or an id says which link it is.
  const owned = typeof url === 'function' && (ownKey ?? linkOptions.id) === undefined;
  const input: LinkInput = { url, options: linkOptions };
  const request = stableKey({ key: ownKey, url, options: linkOptions });
  return useShared(registry, request, owned, input, user).value;
}
