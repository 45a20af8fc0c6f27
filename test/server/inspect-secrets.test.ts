/**
 * Session ids are bearer secrets, and `resumable(wss, { inspect })` hands every chart of the
 * server (each socket's greeting and farewell, each session's) to the application's observer,
 * often an inspector or a trace: no inspection event may hold a session id, in any encoding,
 * through a session's whole life (new, messages both ways, a drop, a resume, its end, its
 * socket's farewell). A real ws server; util.inspect of each event, deep.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { idForms } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

describe('resumable(wss, { inspect }): no session id in any inspection event', () => {
  const h = useHarness();

  it('through a session’s whole life, and its socket’s farewell', async () => {
    const server = await h.wsServer();
    const seen: string[] = [];
    const types = new Set<string>();
    const machines = new Set<string>();
    const observe = (event: InspectionEvent) => {
      types.add(event.type);
      const id = (event as { snapshot?: { machine?: { id?: string } } }).snapshot?.machine?.id;
      if (id) machines.add(id);
      seen.push(
        inspect(event, { depth: 8, showHidden: true, maxArrayLength: 1_000, maxStringLength: 100_000 }),
      );
    };
    const rs = resumable(server.wss, { inspect: observe, ackEveryMessages: 1 });
    h.defer(() => rs.close());
    let session: ResumableSession | undefined;
    rs.on('session', (s) => {
      session = s;
      s.on('message', (d) => s.send(`echo ${String(d)}`));
    });
    const client = new RawResumeClient({ ackEveryMessages: 1 });
    h.defer(() => client.close());
    expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
    client.send('one');
    await waitFor(() => client.got.length === 1, { message: 'echo' });
    client.drop();
    await waitFor(() => session !== undefined && !session.connected, { message: 'away' });
    expect(await client.connect(server.url)).toMatchObject({ outcome: 'resumed' });
    client.send('two');
    await waitFor(() => client.got.length === 2, { message: 'echo after resume' });
    const id = (session as ResumableSession).id;
    session?.close();
    await waitFor(() => machines.has('farewell') && server.wss.clients.size === 0, { message: 'farewell' });
    expect([...machines].sort()).toEqual(['farewell', 'greeting', 'session']);
    expect(types.has('@xstate.event')).toBe(true);
    expect(id.length).toBeGreaterThan(8);
    for (const text of seen) for (const form of idForms(id)) expect(text.includes(form), form).toBe(false);
  });
});
