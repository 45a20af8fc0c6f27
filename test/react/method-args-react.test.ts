/**
 * linkvisor/react's own hooks given arguments of the wrong kind: the render fails at the hook with
 * LV_ERR_INVALID_OPTION naming the argument (react-dom/server in Node, a real `ws` server on
 * loopback that no render connects to). Before (round 26): `useLinkState(link)` with null, a URL
 * or an object rendered `idle` on the server, silently (the state is never read there), and threw
 * a raw TypeError on the page ("Cannot read properties of null (reading 'state')");
 * `useLink(url, options)` with null options threw a raw TypeError from the destructuring
 * ("Cannot destructure property 'key' of … as it is null"). useWebSocket follows partysocket's
 * hook (its options destructured as partysocket's are) and is left as it is.
 */
import { createElement, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupervisor, type Link, type Supervisor } from '../../src/index.js';
import { LinkvisorProvider, useLink, useLinkState } from '../../src/react/index.js';
import { startWsServer, type WsTestServer } from '../helpers/servers.js';

let server: WsTestServer;
let supervisor: Supervisor;

const refused = (option: string) =>
  expect.objectContaining({ name: 'LinkvisorError', code: 'LV_ERR_INVALID_OPTION', option });

describe('linkvisor/react hooks: arguments of the wrong kind', () => {
  beforeAll(async () => {
    server = await startWsServer();
    supervisor = createSupervisor({ networkSignals: false });
  });

  afterAll(async () => {
    await supervisor.close();
    await server.stop();
  });

  const render = (hook: () => ReactNode) =>
    renderToString(createElement(LinkvisorProvider, { supervisor }, createElement(hook)));

  it('useLinkState(link): anything but a Link fails the render naming link', () => {
    for (const bad of [null, undefined, 'ws://127.0.0.1:1', 42, {}, { state: 'ready' }]) {
      expect(() => render(() => useLinkState(bad as unknown as Link)), String(bad)).toThrow(refused('link'));
    }
    // A real link renders its state (idle on the server).
    expect(render(() => useLinkState(useLink(`${server.url}/ok`)))).toBe('idle');
  });

  it('useLink(url, options): options that are no object fail the render naming options', () => {
    for (const bad of [null, 'fast', 42, true, []]) {
      expect(() => render(() => useLink(server.url, bad as never).state), String(bad)).toThrow(
        refused('options'),
      );
    }
    expect(() => render(() => useLink(server.url, { connectTimeoutMS: 5 } as never).state)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_UNKNOWN_OPTION', option: 'connectTimeoutMS' }),
    );
    expect(server.upgrades).toBe(0);
  });
});
