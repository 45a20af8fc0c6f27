/**
 * One harness per integration file: captures the resource baseline before each test, runs the
 * test's cleanups (last registered first, each bounded in time) after it, then checks that
 * nothing leaked. Servers and supervisors made through it are cleaned up automatically.
 */
import { afterEach, beforeEach } from 'vitest';
import { createSupervisor, type Supervisor, type SupervisorOptions } from '../../src/index.js';
import { type KeptPort, keepPort } from './kept-port.js';
import { captureBaseline, expectNoLeaks, type ResourceCounts } from './leaks.js';
import {
  type NetTestServer,
  startNetServer,
  startUpgradeServer,
  startWsServer,
  type UpgradeTestServer,
  type WsServerOptions,
  type WsTestServer,
} from './servers.js';

/** Longest a single cleanup may take before the harness reports it, in ms. */
const CLEANUP_LIMIT_MS = 8_000;

export interface Harness {
  /** Runs `fn` after the test (last registered first). */
  defer(fn: () => unknown): void;
  supervisor(options?: SupervisorOptions): Supervisor;
  wsServer(options?: WsServerOptions): Promise<WsTestServer>;
  netServer(...args: Parameters<typeof startNetServer>): Promise<NetTestServer>;
  upgradeServer(...args: Parameters<typeof startUpgradeServer>): Promise<UpgradeTestServer>;
  /**
   * A port kept until the test ends, for a server that starts later or restarts "on the same
   * port": `wsServer(kept.behind)`, clients at `kept.url()` (kept-port.ts); refused until a server listens.
   */
  keptPort(): Promise<KeptPort>;
}

function bounded(what: string, work: Promise<unknown>): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`cleanup: ${what} did not finish within ${CLEANUP_LIMIT_MS} ms`)),
      CLEANUP_LIMIT_MS,
    );
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

export function useHarness(): Harness {
  let baseline: ResourceCounts = {};
  let cleanups: { what: string; fn: () => unknown }[] = [];

  beforeEach(() => {
    cleanups = [];
    baseline = captureBaseline();
  });

  afterEach(async () => {
    const errors: unknown[] = [];
    for (const { what, fn } of cleanups.splice(0).reverse()) {
      try {
        await bounded(what, Promise.resolve().then(fn));
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
    await expectNoLeaks(baseline);
  });

  const track = <T extends { stop(): Promise<void> }>(what: string, server: T): T => {
    cleanups.push({ what, fn: () => server.stop() });
    return server;
  };

  return {
    defer(fn) {
      cleanups.push({ what: 'deferred cleanup', fn });
    },
    supervisor(options) {
      const supervisor = createSupervisor(options);
      cleanups.push({ what: 'supervisor.close()', fn: () => supervisor.close() });
      return supervisor;
    },
    async wsServer(options) {
      return track('ws server stop()', await startWsServer(options));
    },
    async netServer(...args) {
      return track('net server stop()', await startNetServer(...args));
    },
    async upgradeServer(...args) {
      return track('upgrade server stop()', await startUpgradeServer(...args));
    },
    async keptPort() {
      return track('kept port stop()', await keepPort());
    },
  };
}

/** Fast policies for loopback tests: short, capped, unjittered backoff; short timeouts. */
export const FAST = {
  backoff: { initialDelayMs: 20, maxDelayMs: 150, multiplier: 2, jitter: 'none' },
  connectTimeoutMs: 2_000,
  handshakeTimeoutMs: 2_000,
  closeTimeoutMs: 2_000,
  heartbeat: false,
} as const satisfies SupervisorOptions;
