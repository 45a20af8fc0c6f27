/**
 * One `on()` is one registration, on a link, a supervisor and a group (through their public API):
 * the same function added twice (two components sharing a handler) is called twice; the function
 * `on()` returned removes exactly its own registration, once (called again: a no-op, the other
 * registration stays); `off(event, fn)` removes one registration, the most recently added (Node's
 * EventEmitter rule). Before: the disposer and `off()` removed every registration of the function.
 * Nothing is kept once every registration is removed (the emitters hold no listener); real `ws`
 * server on 127.0.0.1 port 0, nothing left after (the harness).
 */
import { describe, expect, it } from 'vitest';
import { Emitter } from '../../src/util/emitter.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

type Owner = { on(event: string, fn: () => void): () => void; off(event: string, fn: () => void): void };

/** The listeners an owner's emitter holds (a private field: the leak check). */
const held = (owner: object): number => {
  const own = (owner as { emitter?: { count(): number } }).emitter;
  return own ? own.count() : (owner as { wire: { emitter: { count(): number } } }).wire.emitter.count();
};

/** Registers, on `owner`'s `event`: x, g, x (the same x twice), then removes the first x with its
 * disposer (twice) and adds y twice and removes one with off(): g, x, y remain, in that order. */
function register(owner: Owner, event: string, calls: string[]) {
  const x = () => calls.push('x');
  const g = () => calls.push('g');
  const y = () => calls.push('y');
  const offFirstX = owner.on(event, x);
  owner.on(event, g);
  const offSecondX = owner.on(event, x);
  offFirstX();
  offFirstX(); // a no-op: the second x stays
  owner.on(event, y);
  owner.on(event, y);
  owner.off(event, y); // one of the two
  return () => {
    offSecondX();
    owner.off(event, y);
    owner.off(event, g);
  };
}

describe('emitter registrations on link, supervisor and group', () => {
  const h = useHarness();

  it('a disposer removes its own registration once; off() removes one (the most recent)', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const supervisorBefore = held(supervisor);
    const seen = { link: [] as string[], supervisor: [] as string[], group: [] as string[] };
    const undoSupervisor = register(supervisor as unknown as Owner, 'up', seen.supervisor);
    const group = supervisor.connectGroup([server.url], { id: 'g' });
    const link = group.links[0];
    if (!link) throw new Error('no link');
    const groupBefore = held(group);
    const linkBefore = held(link);
    const undoGroup = register(group as unknown as Owner, 'up', seen.group);
    const undoLink = register(link as unknown as Owner, 'ready', seen.link);
    await group.ready();
    await waitFor(() => Object.values(seen).every((calls) => calls.length >= 3), {
      message: 'every owner emitted',
    });
    expect(seen).toEqual({ link: ['g', 'x', 'y'], supervisor: ['g', 'x', 'y'], group: ['g', 'x', 'y'] });
    undoSupervisor();
    undoGroup();
    undoLink();
    expect([held(supervisor), held(group), held(link)]).toEqual([supervisorBefore, groupBefore, linkBefore]);
    await supervisor.close();
  });
});

describe('Emitter (the class the owners share)', () => {
  it('off() takes the most recently added registration; disposers are exact; no empty map kept', () => {
    const emitter = new Emitter<{ a: number; b: number; error: never }>(['a', 'b', 'error']);
    const calls: string[] = [];
    const x = () => calls.push('x');
    const g = () => calls.push('g');
    const offFirst = emitter.on('a', x);
    emitter.on('a', g);
    emitter.on('a', x);
    emitter.off('a', x); // the last x
    emitter.emit('a', 1);
    expect(calls).toEqual(['x', 'g']);
    offFirst();
    expect(emitter.count()).toBe(1);
    emitter.off('a', g);
    expect(emitter.count()).toBe(0);
    expect((emitter as unknown as { listeners: unknown }).listeners).toBeNull();
    offFirst(); // long gone: nothing, not even a map made again
    expect((emitter as unknown as { listeners: unknown }).listeners).toBeNull();
  });

  it('removing during an emit: the emit under way calls every registration it started with', () => {
    const emitter = new Emitter<{ a: number; error: never }>(['a', 'error']);
    const calls: string[] = [];
    const x = () => calls.push('x');
    let offSecond = () => {};
    emitter.on('a', () => {
      calls.push('first');
      offSecond();
    });
    offSecond = emitter.on('a', x);
    emitter.on('a', x);
    emitter.emit('a', 1);
    emitter.emit('a', 2);
    expect(calls).toEqual(['first', 'x', 'x', 'first', 'x']);
  });
});
