/**
 * The lab page of the React browser tests (./lab.ts, served by ./page.ts) opened in headless
 * Chromium: `run` sends a test's own function to the page as source and calls it with the page's
 * `lab`; `links` lists the lab supervisor's links as `id:state`; `close` ends the browser and the
 * page's server. It fails to open if the page's React is not `reactVersion()`. Shared by test/browser/react-renders.test.ts and react-concurrent.test.ts.
 */
import type { Page } from 'playwright-core';
import { waitFor } from '../../helpers/wait.js';
import { type Chromium, launchChromium } from '../chromium.js';
import type { Lab } from './lab.js';
import { type ReactPage, reactVersion, startReactPage } from './page.js';

type Supervisor = ReturnType<Lab['createSupervisor']>;

export interface LabPage {
  run<T>(fn: (lab: Lab, arg: never) => T, arg?: unknown): Promise<Awaited<T>>;
  links(): Promise<string[]>;
  close(): Promise<void>;
}

/** Waits for `check` (polled every 20 ms) up to `timeoutMs`, failing with `what`. */
export const until = (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) =>
  waitFor(check, { timeoutMs, intervalMs: 20, message: what });

export async function openLabPage(): Promise<LabPage> {
  let app: ReactPage | undefined;
  let browser: Chromium | undefined;
  const close = async () => {
    await browser?.close();
    await app?.stop();
  };
  try {
    app = await startReactPage('lab.ts');
    browser = await launchChromium();
    const page: Page = await browser.context.newPage();
    await page.goto(app.url);
    await page.waitForFunction(() => 'lab' in window);
    const run = <T>(fn: (lab: Lab, arg: never) => T, arg?: unknown): Promise<Awaited<T>> =>
      page.evaluate(
        ([source, value]) => {
          const lab = (window as unknown as { lab: Lab }).lab;
          // The test's own function, sent to the page as source.
          return new Function('lab', 'value', `return (${source})(lab, value);`)(lab, value);
        },
        [fn.toString(), arg] as const,
      ) as Promise<Awaited<T>>;
    const version = await run((lab) => lab.React.version);
    if (version !== reactVersion())
      throw new Error(`the lab page runs React ${version}, expected ${reactVersion()} (REACT_DIR)`);
    const links = () =>
      run((lab) => (lab.store.supervisor as Supervisor).list().map((link) => `${link.id}:${link.state}`));
    return { run, links, close };
  } catch (error) {
    await close();
    throw error;
  }
}
