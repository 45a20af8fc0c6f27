/**
 * The XState systems an inspector was attached to late (`inspector.attach(actor)`: the collector
 * was not given to `createSupervisor`), one subscription a system: a supervisor's links share
 * their shard's system (machines/shard.machine.ts), a watcher and the socket have one each. A
 * subscription is released when its system's root actor ends (a shard whose links all ended, a
 * stopped watcher), so a churning fleet holds one per live system, not one per system ever made.
 */
import type { AnyActorRef, InspectionEvent, Observer } from 'xstate';
import { describe } from '../util/describe.js';
import { optionError } from '../util/errors.js';

/** The late subscriptions of one inspector. */
export interface LateAttachments {
  /** Subscribes `inspect` to the system of `actor`, once a system, while its root actor lives. */
  attach(actor: AnyActorRef): void;
  /** Systems subscribed to now. */
  readonly size: number;
  /** Releases every subscription. */
  dispose(): void;
}

/** An XState actor (`getSnapshot()`, a system to inspect), or LV_ERR_INVALID_OPTION naming `actor`:
 * anything else threw a raw TypeError from the walk to its root. */
function checkActor(actor: unknown): void {
  const ref = actor as Partial<AnyActorRef> | null;
  if (typeof ref?.getSnapshot !== 'function' || typeof ref.system?.inspect !== 'function')
    throw optionError('actor', `must be an XState actor, got ${describe(actor)}`);
}

/** The root actor of `actor`'s system: the one with no parent. */
function rootOf(actor: AnyActorRef): AnyActorRef {
  let root = actor;
  for (let up = root._parent; up; up = root._parent) root = up;
  return root;
}

/** Creates the late subscriptions of an inspector whose observer is `inspect`. */
export function createLateAttachments(inspect: Observer<InspectionEvent>): LateAttachments {
  const releases = new Map<AnyActorRef['system'], () => void>();
  return {
    attach(actor) {
      checkActor(actor);
      const system = actor.system;
      if (releases.has(system)) return;
      const root = rootOf(actor);
      // A system whose root has ended sends nothing more.
      if ((root.getSnapshot() as { status?: string }).status !== 'active') return;
      const subscription = system.inspect({
        next(event) {
          inspect.next?.(event);
          const status = (event as { snapshot?: { status?: string } }).snapshot?.status;
          if (event.type === '@xstate.snapshot' && event.actorRef === root && status !== 'active') release();
        },
      });
      const release = () => {
        subscription.unsubscribe();
        if (releases.get(system) === release) releases.delete(system);
      };
      releases.set(system, release);
    },
    get size() {
      return releases.size;
    },
    dispose() {
      for (const release of [...releases.values()]) release();
    },
  };
}
