/**
 * The browser builds' `./lean-actor.ts`: `leanActor` changes nothing and says so, so a browser
 * link's actor stays as XState made it and its link subscribes (./link-starter.ts). The browser
 * build (scripts/browser-bundles.mjs, used by `npm run build`, the size budgets and the browser
 * tests) resolves every import of `runtime/lean-actor` to this file: a page runs few links and its
 * bundle's bytes count, while a Node process runs many idle links and their heap counts there
 * (BENCHMARKS.md round 48 (idle heap)). Same exports, same types as the Node file.
 */
import type { AnyActorRef } from 'xstate';
import type { DirectLinkObserver, ListenersOnFirstUse } from './lean-actor.js';

export type { DirectLinkObserver, ListenersOnFirstUse };

/** The browser builds' leanActor: false, nothing changed (the caller subscribes its observer). */
export function leanActor(_actor: AnyActorRef, _link: object): boolean {
  return false;
}
