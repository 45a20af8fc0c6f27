/**
 * Small pieces both hooks need: who the calling component is (a stable object per component
 * instance, kept across StrictMode's double render and simulated remount), and an effect that
 * runs on every commit before passive effects (a layout effect; a plain effect where there is
 * no document, so server rendering does not warn).
 */
import { useEffect, useLayoutEffect, useState } from 'react';

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
