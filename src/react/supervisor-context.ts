/**
 * Which supervisor the hooks' links belong to: the one a `<LinkvisorProvider supervisor={…}>`
 * above the component gives (its inspector, status, `setReconnect`, `close()` then cover them),
 * else one default supervisor for the whole page, created on first use with default options.
 */
import { createContext, createElement, type ReactNode, useContext, useSyncExternalStore } from 'react';
import { createSupervisor, type Supervisor } from '../runtime/supervisor.js';
import { describe } from '../util/describe.js';
import { optionError } from '../util/errors.js';

/** No provider above: `getDefaultSupervisor` itself (the page's default supervisor). A provider
 * given none (null, undefined: one not made yet) is a mistake, not "no provider": its links would
 * go to the default supervisor, which the application never closes. */
const SupervisorContext = createContext<unknown>(getDefaultSupervisor);

let defaultSupervisor: Supervisor | null = null;
/** How many default supervisors `closeDefaultSupervisor` closed. Every hook's component reads it
 * (useSyncExternalStore) and renders once when it changes, so one on the default supervisor that
 * only holds a link (no `useLinkState`, which its link's close renders) takes a new one. */
let generation = 0;
const generationListeners = new Set<() => void>();
const onGeneration = (listener: () => void) => {
  generationListeners.add(listener);
  return () => generationListeners.delete(listener);
};
const readGeneration = () => generation;

/** The page's default supervisor (created on first call): what `useLink` uses without a
 * provider or a `supervisor` option. */
export function getDefaultSupervisor(): Supervisor {
  defaultSupervisor ??= createSupervisor();
  return defaultSupervisor;
}

/** Closes the page's default supervisor (every link of it, with their drain) and forgets it: the
 * components still mounted on it render again and take their links on a new one (the next
 * `useLink` without a provider creates it). For tests and hot reloading. */
export function closeDefaultSupervisor(): Promise<void> {
  const supervisor = defaultSupervisor;
  defaultSupervisor = null;
  if (!supervisor) return Promise.resolve();
  generation++;
  // Each schedules a render of its component (none runs here).
  for (const listener of generationListeners) listener();
  return supervisor.close();
}

/** Props of `LinkvisorProvider`: the supervisor for the links of the components below it. */
export interface LinkvisorProviderProps {
  supervisor: Supervisor;
  children?: ReactNode;
}

/** Gives `useLink` calls below it this supervisor (instead of the page's default one). */
export function LinkvisorProvider({ supervisor, children }: LinkvisorProviderProps): ReactNode {
  return createElement(SupervisorContext.Provider, { value: supervisor }, children);
}

/** The supervisor for a hook: `own` if given, else the provider's, else the page's default.
 * Anything else than a Supervisor there (a provider's null or undefined too) is
 * LV_ERR_INVALID_OPTION naming `supervisor`. */
export function useSupervisor(own?: Supervisor): Supervisor {
  const provided = useContext(SupervisorContext);
  // Renders again after closeDefaultSupervisor() (once: a component on another supervisor too).
  useSyncExternalStore(onGeneration, readGeneration, readGeneration);
  const supervisor = own ?? (provided === getDefaultSupervisor ? getDefaultSupervisor() : provided);
  if (typeof (supervisor as { connect?: unknown } | null)?.connect !== 'function')
    throw optionError(
      'supervisor',
      `must be a linkvisor Supervisor, got ${describe(supervisor)}${supervisor == null ? ' (render LinkvisorProvider once it exists)' : ''}`,
    );
  return supervisor as Supervisor;
}
