/**
 * Subprotocols carry credentials (`new WebSocket(url, ['token', apiKey])`, Kubernetes' bearer
 * subprotocol): a server selects one or quotes them in a close reason, and none of it may reach
 * status(), an event, the inspector or a trace — in the supervisor's defaults, a link's static
 * protocols, or a per-attempt function that makes a fresh token each attempt.
 */
import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { combineInspectors, createInspector } from '../../src/inspector/index.js';
import { recordSession } from '../../src/trace/record-session.js';
import { formatTrace } from '../../src/trace/trace-format.js';
import { recordEvents, textOf } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const DEFAULT_SECRET = 'sk_live_default7c6b5a';
const LINK_SECRET = 'sk_live_static4d3e2f';
const attemptSecret = (n: number) => `sk_live_attempt${n}x9y8z7`;

function forms(secret: string): string[] {
  const base64 = Buffer.from(secret).toString('base64');
  return [secret, base64, base64.replace(/=+$/, ''), Buffer.from(secret).toString('base64url')];
}

describe('integration: secrets in subprotocols', () => {
  const h = useHarness();

  it('a selected or echoed subprotocol never reaches status, events, the inspector or a trace', async () => {
    const offered: string[] = [];
    const server = await h.wsServer({
      onConnection: (ws, request) => {
        const header = String(request.headers['sec-websocket-protocol']);
        offered.push(header);
        // A careless server quotes what it was offered when it turns the client away.
        setTimeout(() => ws.close(4001, `bad protocols ${header}`.slice(0, 120)), 20);
      },
    });
    // The server selects the credential (the last offered) as the protocol.
    server.wss.options.handleProtocols = (set: Set<string>) => [...set].at(-1) ?? false;
    const inspector = createInspector();
    const inspected: string[] = [];
    const supervisor = h.supervisor({
      ...FAST,
      intensity: false,
      protocols: ['token', DEFAULT_SECRET],
      inspect: combineInspectors(inspector.inspect, (event: InspectionEvent) => {
        if (event.type === '@xstate.event') inspected.push(textOf(event.event));
      }),
    });
    const recorder = recordSession(supervisor);
    const byDefault = supervisor.connect(`${server.url}/default`, { id: 'default' });
    const fixed = supervisor.connect(`${server.url}/fixed`, {
      id: 'fixed',
      protocols: ['token', LINK_SECRET],
    });
    let attempts = 0;
    const fresh = supervisor.connect(`${server.url}/fresh`, {
      id: 'fresh',
      protocols: () => ['token', attemptSecret(++attempts)],
    });
    const links = [byDefault, fixed, fresh];
    const logs = links.map((link) => recordEvents(link));
    const statuses: string[] = [];
    for (const link of links) link.on('state', () => statuses.push(textOf(link.status())));
    await waitFor(() => links.every((link) => link.status().readyCount >= 3), {
      timeoutMs: 20_000,
      message: 'both links opened and were turned away more than once',
    });
    const trace = formatTrace(recorder.stop());
    await supervisor.close();

    const secrets = [DEFAULT_SECRET, LINK_SECRET, attemptSecret(1), attemptSecret(2), attemptSecret(3)];
    // The secrets were really offered (the scan below is not vacuous).
    for (const secret of secrets) expect(offered.join('\n')).toContain(secret);
    const texts = {
      status: [...statuses, ...links.map((link) => textOf(link.status())), textOf(supervisor.status())],
      events: logs.flatMap((log) => log.events.map((event) => `${event.type}: ${textOf(event.payload)}`)),
      inspected,
      inspector: [textOf({ actors: inspector.actors(), records: inspector.records() })],
      trace: [trace],
    };
    expect(texts.status.join('\n')).toContain('closed with code 4001');
    expect(trace).toContain('"code":4001');
    expect(texts.inspector.join('')).toContain('transport.open');
    for (const [where, list] of Object.entries(texts)) {
      const text = list.join('\n');
      for (const secret of secrets)
        for (const form of forms(secret)) expect(text, `${where}: ${form}`).not.toContain(form);
    }
  });
});
