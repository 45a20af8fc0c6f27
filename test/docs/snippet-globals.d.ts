/**
 * What a code block of the docs may use without defining it: the reader's own application (a
 * supervisor and a link made earlier on the page, a database pool, a logger, UI callbacks, the
 * banner app of examples/) and vitest's `it` / `expect` in the testing pages. Only
 * test/docs/code-blocks.test.ts compiles this file (tsconfig.json excludes it, so no test sees
 * these names).
 */
import type { Link, Supervisor } from 'linkvisor';
import type { LinkModelStep } from 'linkvisor/testing';
import type { createBannerMachine as bannerMachine } from '../../examples/app-machine.js';

declare global {
  const supervisor: Supervisor;
  const link: Link;
  /** A database client whose queries can be aborted. */
  const pool: { query(sql: string, options?: { signal?: AbortSignal }): Promise<unknown> };
  const log: { info(message: string): void; warn(message: string): void };
  /** Fetches a fresh access token. */
  const token: () => Promise<string>;
  /** Shows a message in the application's UI. */
  const banner: (text: string) => void;
  /** Draws received data. */
  const render: (data: unknown) => void;
  /** examples/app-machine.ts and what examples/banner.model.test.ts expects of its banner. */
  const createBannerMachine: typeof bannerMachine;
  const expectedBanner: (step: LinkModelStep) => RegExp;
  const it: typeof import('vitest').it;
  const expect: typeof import('vitest').expect;
}
