/**
 * A token in the URL a component gives `useLink` or `useWebSocket` never shows in what the hooks
 * expose besides the URL itself: the link's and the supervisor's `status()`, the link's id, the
 * errors a render fails with (bad options, a link asked for that is no Link) — neither as typed
 * nor percent-encoded nor in base64. Rendered on the server (no effect: nothing connects).
 */
import { createElement, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterAll, describe, expect, it } from 'vitest';
import { createSupervisor, type Link } from '../../src/index.js';
import { LinkvisorProvider, useLink, useLinkState, useWebSocket } from '../../src/react/index.js';

const SECRET = 's3cr3t-T0ken/+=';
const URL_WITH_SECRET = `wss://example.invalid/feed?token=${encodeURIComponent(SECRET)}`;
const FORMS = [SECRET, encodeURIComponent(SECRET), Buffer.from(SECRET).toString('base64'), 's3cr3t'];

function leaks(text: string): string[] {
  return FORMS.filter((form) => text.includes(form));
}

describe('linkvisor/react: a token in the URL', () => {
  const supervisor = createSupervisor();
  afterAll(() => supervisor.close());
  const render = (node: () => ReactNode) =>
    renderToString(createElement(LinkvisorProvider, { supervisor }, createElement(node)));

  it("never shows in the link's or the supervisor's status, nor in the link's id", () => {
    let link: Link | undefined;
    render(() => {
      link = useLink(URL_WITH_SECRET);
      useWebSocket(URL_WITH_SECRET);
      return useLinkState(link);
    });
    expect(link).toBeDefined();
    expect(leaks(JSON.stringify(link?.status()))).toEqual([]);
    expect(leaks(JSON.stringify(supervisor.status()))).toEqual([]);
    expect(leaks(String(link?.id))).toEqual([]);
  });

  it('never shows in the errors a render fails with', () => {
    const failures: unknown[] = [];
    for (const node of [
      () => useLink(URL_WITH_SECRET, { connectTimeoutMs: -1 }) && null,
      () => useLink(URL_WITH_SECRET, URL_WITH_SECRET as never) && null,
      () => useLinkState(URL_WITH_SECRET as never),
      () => useLink(URL_WITH_SECRET, { supervisor: URL_WITH_SECRET as never }) && null,
    ]) {
      try {
        render(node);
      } catch (error) {
        failures.push(error);
      }
    }
    expect(failures).toHaveLength(4);
    for (const error of failures) {
      const { message, code, option } = error as { message: string; code: string; option?: string };
      expect(code).toBe('LV_ERR_INVALID_OPTION');
      expect(leaks(`${message} ${option} ${String(error)} ${JSON.stringify(error)}`)).toEqual([]);
    }
  });
});
