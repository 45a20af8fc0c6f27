/**
 * A socket chart actor for the step tests (socket-ready-step, socket-unready-step): links added,
 * each step's named transition actions and emitted events recorded. Pure: no effects, no timer.
 */
import { createActor, type InspectionEvent } from 'xstate';
import { groupOf, type SocketEmitted, type SocketEvent } from '../../machines/socket.machine.js';
import { machine, peerInput } from '../socket/socket-walk.js';

/** A socket actor with links `ids` added (and all ready, if `ready`), recording the named actions
 * of each step's transitions and what it emits; `step` sends one event and returns them. */
export function socketWith(ids: string[], { ready = false } = {}) {
  const actions: string[] = [];
  const emitted: string[] = [];
  const inspect = (e: InspectionEvent) => {
    // The actions of the transitions each microstep took, by name.
    if (e.type === '@xstate.microstep')
      for (const t of e._transitions)
        for (const a of t.actions) actions.push(typeof a === 'string' ? a : (a as { type: string }).type);
  };
  const actor = createActor(machine, { input: {}, inspect }).start();
  actor.on('*', (e: SocketEmitted) => emitted.push(e.type));
  // Ids `link:<group>/<n>` are members of a group added first (one-for-one, of those members).
  const groups = new Map<string, number>();
  for (const id of ids) {
    const group = groupOf(id);
    if (group !== null) groups.set(group, (groups.get(group) ?? 0) + 1);
  }
  for (const [group, size] of groups) actor.send({ type: 'group.add', group, strategy: 'one-for-one', size });
  actor.send({ type: 'peer.add', inputs: ids.map(peerInput) });
  if (ready) for (const linkId of ids) actor.send({ type: 'link.ready', linkId, readyCount: 1 });
  const step = (event: SocketEvent) => {
    actions.length = 0;
    emitted.length = 0;
    actor.send(event);
    return { actions: [...actions], emitted: [...emitted], context: actor.getSnapshot().context };
  };
  return { actor, step };
}
