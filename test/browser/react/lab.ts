/**
 * The page test/browser/react-lab.test.ts drives: React's development build and linkvisor/react
 * put on `window.lab`, so that each test writes its components inline (createElement, no JSX) and
 * runs them in the page. It records what React and the hooks print (console.error / warn: a
 * "getSnapshot should be cached" warning, an act() warning) and what `reportError` reports, and
 * counts the page's pending timers (installed by test/browser/react/page.ts before any module).
 */
import * as React from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import { createSupervisor } from '../../../src/index.js';
import * as hooks from '../../../src/react/index.js';

const printed: string[] = [];
const reported: string[] = [];
/** What `reportError` reported (or an uncaught error), as thrown: its `code` and `cause` readable. */
const reportedErrors: unknown[] = [];
for (const level of ['error', 'warn'] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    printed.push(`${level}: ${args.map(String).join(' ')}`);
    original(...args);
  };
}
window.addEventListener('error', (event) => {
  reported.push(String((event.error as Error | undefined)?.message ?? event.message));
  reportedErrors.push(event.error);
  event.preventDefault();
});

const roots = new Set<Root>();

const lab = {
  React,
  hooks,
  createSupervisor,
  flushSync,
  printed,
  reported,
  reportedErrors,
  /** Anything a test keeps between its evaluate calls. */
  store: {} as Record<string, unknown>,
  /** A root (in StrictMode unless `strict` is false) rendering `element`, synchronously. */
  mount(element: React.ReactNode, strict = true): { render(next: React.ReactNode): void; unmount(): void } {
    const container = document.createElement('div');
    document.body.append(container);
    const root = createRoot(container);
    roots.add(root);
    const wrap = (node: React.ReactNode) =>
      strict ? React.createElement(React.StrictMode, null, node) : node;
    flushSync(() => root.render(wrap(element)));
    return {
      render: (next) => flushSync(() => root.render(wrap(next))),
      unmount: () => {
        roots.delete(root);
        root.unmount();
        container.remove();
      },
    };
  },
  reset(): void {
    for (const root of roots) root.unmount();
    roots.clear();
    printed.length = 0;
    reported.length = 0;
    reportedErrors.length = 0;
    lab.store = {};
  },
  liveTimers: () => (window as unknown as { liveTimers(): number }).liveTimers(),
  reactVersion: React.version,
};

export type Lab = typeof lab;
(window as unknown as { lab: Lab }).lab = lab;
