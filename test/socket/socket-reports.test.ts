/**
 * A link's reports reach the socket actor only when its chart handles them (issue 11): each one
 * delivered is a macrostep of the socket actor, and a drop of 1,000 links sends three reports each
 * (unready, lost, reconnecting) of which the socket chart counts one. Which ones are delivered is
 * read from the chart itself (`socketMachine.root.events`), so it stays the source of truth.
 */
import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { socketMachine } from '../../machines/socket.machine.js';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork } from '../../src/testing/index.js';
import { waitFor } from '../helpers/wait.js';

describe('link reports to the socket actor', () => {
  it('a drop delivers the reports the socket chart handles, in order, and no others', async () => {
    const network = createMemoryNetwork();
    const server = network.listen('mem://svc');
    const received: string[] = [];
    const inspect = (event: InspectionEvent) => {
      if (event.type === '@xstate.snapshot' && (event.actorRef as { id?: string }).id === 'socket')
        received.push(event.event.type);
    };
    const supervisor = createSupervisor({
      transport: network.transport,
      heartbeat: false,
      backoff: { initialDelayMs: 1, maxDelayMs: 1, jitter: 'none' },
      inspect,
    });
    const link = supervisor.connect('mem://svc');
    await link.ready();
    let readies = 0;
    link.on('ready', () => readies++);
    let lost = 0;
    link.on('lost', () => lost++);
    server.dropAll(1006);
    await waitFor(() => readies === 1, { message: 'ready again' });
    expect(lost).toBe(1);
    await supervisor.close();
    const reports = received.filter((type) => type.startsWith('link.'));
    expect(reports).toEqual(['link.ready', 'link.unready', 'link.ready', 'link.unready', 'link.closed']);
    const handled = new Set<string>(socketMachine.root.events);
    for (const type of received) if (type !== 'xstate.init') expect(handled.has(type)).toBe(true);
  });
});
