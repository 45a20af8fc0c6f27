/**
 * The hook `useLink` and `useWebSocket` are made of: during render it peeks the key's value in a
 * SharedRegistry (shared-registry.ts), on every commit it records this component's latest input
 * (its callbacks), and in an effect it acquires the value (the first acquire starts it) and
 * releases it on cleanup. If the value the render peeked was disposed before the commit (see
 * the reservations sweep: shared-registry.ts), the effect acquires a fresh one and renders again to
 * show it.
 *
 * Also: `useUser()`, a stable object per component instance (kept across StrictMode's simulated
 * remount; React 18's double render of a mount, and a mount rendered again after suspending, make
 * a new one: the registry's groups dispose what those renders peeked), and `useCommitEffect`, a layout effect (a plain effect where there
 * is no document, so server rendering does not warn) that runs on every commit before passive
 * effects and before any event the value dispatches after the commit.
 */
import { useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import type { SharedEntry, SharedRegistry } from './shared-registry.js';

export interface HookUser {
  /** A number per component instance, for keys that must not be shared. */
  readonly index: number;
}

let users = 0;

export function useUser(): HookUser {
  const [user] = useState(() => ({ index: ++users }));
  return user;
}

export const useCommitEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

const NOTHING = () => {};

/**
 * The value `request` names for this component: shared by every component asking the same, or,
 * `owned`, this component's own (its key holds the user's number). `request` is the value's group
 * (shared-registry.ts): a shared value is alone in its group. `onAcquire(value)` runs
 * in the acquiring effect (after the value is acquired) and returns what undoes it (run before the
 * release). `acquired.current` is the entry the component holds, for effects declared after this
 * hook (effects run in order); `renderAgain` renders the component again.
 */
export function useShared<T, I>(
  registry: SharedRegistry<T, I>,
  request: string,
  owned: boolean,
  input: I,
  user: HookUser,
  onAcquire: (value: T) => () => void = () => NOTHING,
): { value: T; acquired: { readonly current: SharedEntry<T, I> | null }; renderAgain: () => void } {
  const key = owned ? `${user.index}:${request}` : request;
  const value = registry.peek(key, input, request);
  const acquired = useRef<SharedEntry<T, I> | null>(null);
  const [, renderAgain] = useReducer((n: number) => n + 1, 0);

  useCommitEffect(() => {
    const current = acquired.current;
    if (current?.key === key && !current.disposed) registry.commit(current, user, input);
  });

  // `input`, `value`, `request` and `onAcquire` follow from `registry` and `key`; the latest input
  // is committed above.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    const entry = registry.acquire(key, user, input, request);
    acquired.current = entry;
    if (entry.value !== value) renderAgain();
    const undo = onAcquire(entry.value);
    return () => {
      undo();
      registry.release(entry, user);
    };
  }, [registry, key, user]);

  return { value, acquired, renderAgain };
}
