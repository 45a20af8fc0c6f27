/**
 * linkvisor/react in Node without a DOM: server rendering (react-dom/server) runs no effect, so
 * useLink must not open a socket there (the loopback server sees no connection) and useWebSocket
 * neither; what the render showed is `idle` and a CLOSED socket. Bad options fail the render with
 * an LV_ERR_* error naming the option.
 */
import { createElement, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupervisor, type Supervisor } from '../../src/index.js';
import {
  closeDefaultSupervisor,
  getDefaultSupervisor,
  LinkvisorProvider,
  useLink,
  useLinkState,
  useWebSocket,
} from '../../src/react/index.js';
import { startWsServer, type WsTestServer } from '../helpers/servers.js';
import { nextTurn } from '../helpers/wait.js';

let server: WsTestServer;
let supervisor: Supervisor;

function Feed(): ReactNode {
  const link = useLink(`${server.url}/feed`);
  return `feed:${useLinkState(link)}`;
}

function Socket(): ReactNode {
  return `socket:${useWebSocket(`${server.url}/socket`).readyState}`;
}

function Bad(): ReactNode {
  useLink(server.url, { connectTimeoutMs: -1 });
  return null;
}

describe('linkvisor/react on the server', () => {
  beforeAll(async () => {
    server = await startWsServer();
    supervisor = createSupervisor();
  });

  afterAll(async () => {
    await closeDefaultSupervisor();
    await supervisor.close();
    await server.stop();
  });

  const inProvider = (child: () => ReactNode) =>
    createElement(LinkvisorProvider, { supervisor }, createElement(child));

  it('renders idle and CLOSED, and opens no socket', async () => {
    expect(renderToString(inProvider(Feed))).toBe('feed:idle');
    expect(renderToString(inProvider(Socket))).toBe('socket:3');
    // The supervisor starts its links on a microtask; a link that connects leaves idle as it
    // starts (connecting), before any I/O.
    await nextTurn();
    expect(supervisor.list().map((link) => link.state)).toEqual(['idle']);
    expect(server.upgrades).toBe(0);
  });

  it('bad options fail the render with the option named', () => {
    expect(() => renderToString(inProvider(Bad))).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'connectTimeoutMs' }),
    );
  });

  it("a supervisor that is not one (the option or the provider's prop) fails the render naming supervisor", () => {
    // A TypeError from deep inside (`supervisor.connect is not a function`, `Invalid value used as
    // weak map key`) named nothing.
    const withOption = (given: unknown) => () => {
      useLink(server.url, { supervisor: given as Supervisor });
      return null;
    };
    const named = expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'supervisor' });
    for (const given of [{}, 'supervisor', 42]) {
      expect(() => renderToString(createElement(withOption(given))), String(given)).toThrow(named);
      const provided = createElement(
        LinkvisorProvider,
        { supervisor: given as Supervisor },
        createElement(() => {
          useLink(server.url);
          return null;
        }),
      );
      expect(() => renderToString(provided), String(given)).toThrow(named);
    }
  });

  it('a provider given no supervisor (null, undefined: one not made yet) fails the render naming supervisor', () => {
    // Before (round 32): the links below it silently went to the page's default supervisor, which
    // the application never closes (closing its own supervisor left them connected).
    const named = expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'supervisor' });
    const before = getDefaultSupervisor().list().length;
    for (const given of [undefined, null]) {
      const provided = createElement(
        LinkvisorProvider,
        { supervisor: given as unknown as Supervisor },
        createElement(() => {
          useLink(`${server.url}/unprovided`);
          return null;
        }),
      );
      expect(() => renderToString(provided), String(given)).toThrow(named);
      // What to do about it (round 32: it said only `got null`, as if `useLink`'s option were wrong).
      expect(() => renderToString(provided), String(given)).toThrow(
        /\(render LinkvisorProvider once it exists\)/,
      );
    }
    expect(getDefaultSupervisor().list().length).toBe(before);
    // No provider at all: the page's default supervisor, as before.
    expect(renderToString(createElement(Feed))).toBe('feed:idle');
  });
});
