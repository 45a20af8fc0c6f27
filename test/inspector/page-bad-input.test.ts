/**
 * What a page (or anything with the URL) may write on its feed socket, at its worst: no JSON, JSON
 * that is no object, commands with fields of every wrong type, an id of 60 kB, a recording asked
 * with a string. The server must neither throw (an exception in a socket's 'message' listener
 * would take the application down) nor stop answering: each is ignored or answered with a refusal,
 * and the page still gets its pong afterwards. Then stop leaves nothing (the harness checks).
 */
import { describe, expect, it } from 'vitest';
import { startInspector } from '../../src/inspector/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { connectPage } from './page-client.js';

const h = useHarness();

const BAD: string[] = [
  'not json',
  'null',
  '[]',
  '"send"',
  '42',
  '{}',
  '{"type":null}',
  '{"type":"__proto__"}',
  '{"type":"send"}',
  '{"type":"send","actor":{"toString":1},"event":"link.close"}',
  '{"type":"send","actor":"socket","event":{"type":{"x":1}}}',
  '{"type":"send","actor":["socket"],"event":{"type":"reconnect.disable"}}',
  '{"type":"send","actor":"constructor","event":{"type":"link.close"}}',
  '{"type":"select","actor":{"id":"socket"}}',
  `{"type":"select","actor":"${'x'.repeat(60_000)}"}`,
  '{"type":"ack","seq":"1e999"}',
  '{"type":"ack","seq":-1}',
  '{"type":"ack","seq":{"valueOf":1}}',
  '{"type":"record","on":"yes"}',
  '{"type":"record","on":false}',
  '{"type":"ping","id":{"a":1}}',
];

describe('a page writing bad input', () => {
  it('never makes the server throw, and the page is still answered afterwards', async () => {
    const supervisor = h.supervisor(FAST);
    const server = await startInspector(supervisor, { allowEvents: true });
    h.defer(() => server.close());
    const page = await connectPage(server.url);
    h.defer(() => page.close());
    await page.next('hello');
    for (const text of BAD) page.ws.send(text);
    page.send({ type: 'ping', id: 7 });
    const pong = await page.next('pong', (m) => m.id === 7);
    expect(pong).toMatchObject({ type: 'pong', id: 7 });
    // Refusals, no command run: reconnecting is still on, nothing recording.
    const results = page.messages.filter((m) => m.type === 'result');
    expect(results.every((m) => m.type === 'result' && m.ok === false)).toBe(true);
    expect(server.recordings()).toBe(0);
    expect(server.pages()).toHaveLength(1);
  });
});
