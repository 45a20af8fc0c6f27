/**
 * connect() books the link and returns: the supervisor creates and starts the link's actor after
 * the caller's synchronous code, oldest first, in slices (issue 11). These tests pin the contract:
 * an idle link until its turn, every start in call order, a state event for the first change, and
 * anything that needs the actor before its turn (close(), the actor itself) starts it in order
 * rather than skipping the queue; status() needs no actor (an idle link's status) and starts nothing.
 */
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { createSupervisor, type Link } from '../../src/index.js';
import { createMemoryNetwork } from '../../src/testing/index.js';
import { waitFor } from '../helpers/wait.js';

function world() {
  const network = createMemoryNetwork();
  const server = network.listen('mem://svc');
  const supervisor = createSupervisor({ transport: network.transport, heartbeat: false, seed: 7 });
  return { network, server, supervisor };
}

describe('connect(): O(1) booking, starts in call order off the caller’s stack', () => {
  it('returns an idle link; links start in the order of the calls and report idle → ready', async () => {
    const { server, supervisor } = world();
    const order: string[] = [];
    const links: Link[] = [];
    // More links than one slice takes at the least, so several slices run.
    for (let i = 0; i < 300; i++) {
      const link = supervisor.connect('mem://svc', { id: `n${i}` });
      expect(link.state).toBe('idle');
      link.on('state', ({ from, to }) => {
        if (from === 'idle') order.push(`${link.id}:${to}`);
      });
      links.push(link);
    }
    expect(server.accepted).toBe(0);
    await waitFor(() => links.every((link) => link.state === 'ready'), { message: 'all ready' });
    expect(order).toEqual(links.map((link) => `${link.id}:ready`));
    expect(server.accepted).toBe(300);
    await supervisor.close();
    expect(server.peers).toHaveLength(0);
  });

  it('close() before its turn: the link still closes through its chart, nothing is left', async () => {
    const { server, supervisor } = world();
    const first = supervisor.connect('mem://svc');
    const second = supervisor.connect('mem://svc');
    const events: string[] = [];
    second.on('closed', () => events.push('closed'));
    second.send('held');
    second.on('dropped', ({ reason }) => events.push(`dropped:${reason}`));
    await second.close();
    expect(second.state).toBe('closed');
    expect(events).toContain('closed');
    // The first link was started before the second (call order), and is untouched.
    await waitFor(() => first.state === 'ready', { message: 'first ready' });
    await supervisor.close();
    expect(first.state).toBe('closed');
    expect(server.peers).toHaveLength(0);
    expect(supervisor.list()).toHaveLength(0);
  });

  it('reading the actor starts the link and every link queued before it; reading the status starts nothing', () => {
    const { supervisor } = world();
    const a = supervisor.connect('mem://svc');
    const b = supervisor.connect('mem://svc');
    const c = supervisor.connect('mem://svc');
    expect([a.attached, b.attached, c.attached]).toEqual([false, false, false]);
    expect(b.status().state).toBe('idle');
    expect([a.attached, b.attached, c.attached]).toEqual([false, false, false]);
    expect(b.actor.getSnapshot().status).toBe('active');
    expect([a.attached, b.attached, c.attached]).toEqual([true, true, false]);
    expect(b.status().state).toBe('ready');
    expect(a.state).toBe('ready');
    expect(c.actor.getSnapshot().status).toBe('active');
    return supervisor.close();
  });

  it("a slice joins the socket in one step; a listener of its first link may read a later one's actor", async () => {
    const { server, supervisor } = world();
    const steps: string[] = [];
    const socket = (supervisor as unknown as { socket: { subscribe(fn: () => void): unknown } }).socket;
    const a = supervisor.connect('mem://svc', { id: 'a' });
    const b = supervisor.connect('mem://svc', { id: 'b' });
    const c = supervisor.connect('mem://svc', { id: 'c' });
    socket.subscribe(() => steps.push(`${supervisor.list().filter((link) => link.attached).length}`));
    let seen: unknown = null;
    a.on('state', () => {
      // b is in a's slice: it joined the socket with a; its actor is there and starts after a's.
      seen ??= b.actor;
    });
    await waitFor(() => [a, b, c].every((link) => link.state === 'ready'), { message: 'all ready' });
    expect(seen).toBe(b.actor);
    // One step of the socket for the three links (before any started), then their ready reports.
    expect(steps[0]).toBe('0');
    expect(steps).toHaveLength(4);
    expect(server.accepted).toBe(3);
    await supervisor.close();
  });

  it('send(), on() and off() before its turn: queued in order, listeners see the whole life, the turn is kept', async () => {
    const { server, supervisor } = world();
    const received: string[] = [];
    server.onConnection((peer) => peer.onMessage((data) => received.push(String(data))));
    const first = supervisor.connect('mem://svc');
    const link = supervisor.connect('mem://svc');
    const seen: string[] = [];
    const errors: string[] = [];
    link.on('state', ({ from, to }) => seen.push(`${from}→${to}`));
    link.on('ready', ({ readyCount }) => seen.push(`ready#${readyCount}`));
    const dropped = () => seen.push('never');
    link.on('dropped', dropped);
    link.off('dropped', dropped);
    // A listener that throws, added before the wire exists: its error still reaches 'error'.
    link.on('ready', () => {
      throw new Error('listener bug');
    });
    link.on('error', (error) => errors.push(error.code));
    expect(link.send('one')).toBe('queued');
    expect(link.send(new Uint8Array([2]))).toBe('queued');
    // send(), on() and status() do not start it out of its turn; its actor does (the link booked
    // before it first).
    expect([first.attached, link.attached]).toEqual([false, false]);
    expect(link.status()).toMatchObject({ state: 'idle', queue: { messages: 2, bytes: 4 } });
    expect([first.attached, link.attached]).toEqual([false, false]);
    expect(link.actor.getSnapshot().status).toBe('active');
    expect([first.attached, link.attached]).toEqual([true, true]);
    expect(link.status()).toMatchObject({ state: 'ready', queue: { messages: 0, bytes: 0 } });
    const third = supervisor.connect('mem://svc');
    third.on('state', ({ to }) => seen.push(`third:${to}`));
    expect(third.send('three')).toBe('queued');
    expect(third.attached).toBe(false);
    await waitFor(() => received.length === 3, { message: 'three messages' });
    expect(received).toEqual(['one', '2', 'three']);
    expect(seen).toEqual(['idle→ready', 'ready#1', 'third:ready']);
    expect(errors).toEqual(['LV_ERR_LISTENER']);
    await supervisor.close();
    expect(server.peers).toHaveLength(0);
  });

  it('links of one connect(url) loop share the hidden class of their chart input (the actor keeps it for life)', async () => {
    // V8 gives an object built as `{ ...input, extra }` a hidden class of its own (~280 B a link,
    // BENCHMARKS.md round 7); the input is one literal of fixed keys instead.
    v8.setFlagsFromString('--allow-natives-syntax');
    const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
    const { supervisor } = world();
    const links = Array.from({ length: 40 }, () => supervisor.connect('mem://svc'));
    await waitFor(() => links.every((link) => link.state === 'ready'), { message: 'all ready' });
    const inputs = links.map(
      (link) => (link.actor as unknown as { options: { input: Record<string, unknown> } }).options.input,
    );
    const shapes = inputs.filter((input, i) => inputs.findIndex((other) => sameMap(other, input)) === i);
    expect(shapes).toHaveLength(1);
    expect(inputs.map((input) => input.linkId)).toEqual(links.map((link) => link.id));
    expect(new Set(inputs.map((input) => input.seed)).size).toBe(40);
    expect(inputs.every((input) => input.reconnectEnabled === true && input.label === 'mem://svc')).toBe(
      true,
    );
    await supervisor.close();
  });

  it('supervisor.close() right after a burst of connect() calls ends every link', async () => {
    const { server, supervisor } = world();
    const links = Array.from({ length: 200 }, () => supervisor.connect('mem://svc'));
    await supervisor.close();
    expect(links.every((link) => link.state === 'closed')).toBe(true);
    expect(server.peers).toHaveLength(0);
  });

  it('setReconnect(false) before their turn: queued links start with reconnecting disabled', async () => {
    const { server, supervisor } = world();
    const links = Array.from({ length: 100 }, () => supervisor.connect('mem://svc'));
    supervisor.setReconnect(false);
    await waitFor(() => links.every((link) => link.state === 'ready'), { message: 'all ready' });
    server.dropAll(1006);
    await waitFor(() => links.every((link) => link.state === 'suspended'), { message: 'all suspended' });
    await supervisor.close();
  });
});
