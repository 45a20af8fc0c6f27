/**
 * `supervisor.observe(observer)` sees the socket and every link, those there when it is called and
 * those started later, until `unsubscribe()`: then nothing more, from any link. The links started
 * while it observed join a shard whose system was made with the observers of that moment (the
 * supervisor's inspection hooks, src/runtime/supervisor-inspection.ts); it used to keep calling the
 * unsubscribed observer for them (and hold it, and all it recorded, as long as the shard lived).
 * Real ws server on 127.0.0.1 port 0; bounded waits.
 */

import { describe, expect, it } from 'vitest';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

describe('supervisor.observe()', () => {
  const h = useHarness();

  it('sees links started while it observes; after unsubscribe() nothing more, from them or from later ones', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const seen: string[] = [];
    const observer = {
      next: (event: InspectionEvent) => {
        if (event.type === '@xstate.event')
          seen.push(`${(event.actorRef as AnyActorRef).id}:${event.event.type}`);
      },
    };
    const subscription = supervisor.observe(observer);
    const link = supervisor.connect(server.url, { id: 'watched' });
    await link.ready();
    expect(seen).toContain('link:watched:transport.open');
    subscription.unsubscribe();
    const heard = seen.length;

    // The watched link reconnects; another link starts: neither is seen any more.
    for (const client of server.clients) client.terminate();
    await waitFor(() => link.status().readyCount === 2, { message: 'ready again' });
    await supervisor.connect(server.url, { id: 'later' }).ready();
    expect(seen.slice(heard)).toEqual([]);

    // Observing again sees each event once.
    const again: string[] = [];
    const second = supervisor.observe({
      next: (event) => {
        if (event.type === '@xstate.event' && (event.actorRef as AnyActorRef).id === 'link:watched')
          again.push(event.event.type);
      },
    });
    link.send('ping');
    for (const client of server.clients) client.terminate();
    await waitFor(() => link.status().readyCount === 3, { message: 'ready a third time' });
    expect(again.filter((type) => type === 'transport.open')).toEqual(['transport.open']);
    second.unsubscribe();
  });
});
