/**
 * Headless Chromium for browser tests: Debian's `chromium` (apt-get install chromium) driven by
 * playwright-core, with background networking off and a fresh profile that is deleted afterwards.
 * `CHROMIUM_PATH` overrides the executable.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * How long a page test waits for work whose time grows with the machine's load (the page going
 * live, a state shown, a restarted server found), in ms: a hang guard, never a speed claim. 15 s
 * was lost at load 15–20; a hang still fails, 45 s later, inside the hook's (60 s) and the test's
 * (90 s) limits.
 */
export const PAGE_WORK_MS = 45_000;

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  const profile = await mkdtemp(join(tmpdir(), 'linkvisor-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1440, height: 1000 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
