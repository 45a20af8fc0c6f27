/**
 * linkvisor/react with callbacks that throw, in headless Chromium (test/browser/react/lab.ts, React
 * 19 and, as the `react18` project, 18.3, StrictMode): `useWebSocket`'s `on…` handlers that throw
 * are reported (`reportError`) as LV_ERR_LISTENER naming the handler, with what they threw as
 * `cause`, and change nothing else: the socket stays open and the next message reaches the latest
 * handler; unmounting then leaves no socket and no timer.
 *
 * Before (round 39): the handler's own error was reported as it was thrown: no code, nothing
 * saying which hook's callback threw.
 */
import { describe, expect, it } from 'vitest';
import { until } from './react/lab-page.js';
import { useReactLab } from './react/react-lab.js';

describe('linkvisor/react: callbacks that throw', () => {
  const suite = useReactLab();
  const { run } = suite;

  it('useWebSocket: onOpen and onMessage that throw are reported as LV_ERR_LISTENER naming them; the socket goes on', async () => {
    await run((lab, target: string) => {
      const { createElement: h } = lab.React;
      const seen: string[] = [];
      lab.store.seen = seen;
      function Socket() {
        const socket = lab.hooks.useWebSocket(target, undefined, {
          onOpen: () => {
            throw new Error('onOpen threw on purpose');
          },
          onMessage: (event: MessageEvent) => {
            seen.push(String(event.data));
            if (event.data === 'throw') throw new Error('onMessage threw on purpose');
          },
        });
        return h('p', null, String(socket.readyState));
      }
      lab.store.root = lab.mount(h(Socket));
    }, `${suite.server.url}/callbacks`);
    await until('open', () => suite.server.clients.size === 1);
    for (const client of suite.server.clients) {
      client.send('throw');
      client.send('next');
    }
    await until('the message after the throw', async () =>
      ((await run((lab) => lab.store.seen)) as string[]).includes('next'),
    );
    const reported = await run((lab) =>
      lab.reportedErrors.map((error) => {
        const { code, message, cause } = error as { code?: string; message: string; cause?: Error };
        return { code, message, cause: cause?.message };
      }),
    );
    expect(reported).toEqual([
      { code: 'LV_ERR_LISTENER', message: "useWebSocket's onOpen threw", cause: 'onOpen threw on purpose' },
      {
        code: 'LV_ERR_LISTENER',
        message: "useWebSocket's onMessage threw",
        cause: 'onMessage threw on purpose',
      },
    ]);
    expect(suite.server.clients.size).toBe(1);
    expect(await run(() => document.body.textContent?.trim())).toBe('1');
    await run((lab) => (lab.store.root as { unmount(): void }).unmount());
    await until('no socket left', () => suite.server.clients.size === 0);
    await until('no timer left', async () => (await run((lab) => lab.liveTimers())) === 0);
  });

  it("useWebSocket: a handler's throw quoting the socket's URL is reported with the URL's token redacted", async () => {
    await run((lab, target: string) => {
      const { createElement: h } = lab.React;
      function Socket() {
        const socket = lab.hooks.useWebSocket(target, undefined, {
          onOpen: (event: Event) => {
            throw new Error(`onOpen failed for ${(event.target as WebSocket).url}`);
          },
        });
        return h('p', null, String(socket.readyState));
      }
      lab.store.root = lab.mount(h(Socket));
    }, `${suite.server.url}/callbacks?token=ReactUrlSecret99`);
    await until('reported', async () => ((await run((lab) => lab.reportedErrors.length)) as number) > 0);
    const shown = (await run((lab) =>
      lab.reportedErrors.map((error) => {
        const { message, cause } = error as { message: string; cause?: Error };
        return `${message} ${cause?.message} ${cause?.stack}`;
      }),
    )) as string[];
    expect(shown.join(' ')).toContain('onOpen failed for');
    expect(shown.join(' ')).not.toContain('ReactUrlSecret99');
    await run((lab) => (lab.store.root as { unmount(): void }).unmount());
    await until('no socket left', () => suite.server.clients.size === 0);
    await until('no timer left', async () => (await run((lab) => lab.liveTimers())) === 0);
  });
});
