/**
 * A probe may reject with anything: a value that cannot be turned into text, an error whose
 * `message` or `code` getter throws (a proxy, a half-built error class). The watcher records a
 * readable, redacted error and carries on polling; it never ends in an error state (it used to,
 * and a watcher in an error state is silently forgotten by its supervisor).
 */
import { afterEach, expect, it } from 'vitest';
import { createSupervisor, type Supervisor } from '../../src/index.js';
import { TestClock } from '../../src/testing/index.js';

let env: { supervisor: Supervisor; clock: TestClock } | null = null;
afterEach(async () => {
  await env?.supervisor.close();
  expect(env?.clock.pending ?? 0).toBe(0);
  env = null;
});

const ODD: [string, () => unknown][] = [
  ['an object without a prototype', () => Object.create(null)],
  [
    'an error whose message getter throws an unprintable value',
    () => ({
      get message(): string {
        throw Object.create(null);
      },
    }),
  ],
  [
    'an error whose code getter throws a secret',
    () => ({
      message: 'refused',
      get code(): string {
        throw new Error('token=SECRET-9');
      },
    }),
  ],
];

it('a probe rejecting with values that cannot be read: recorded, redacted, the watcher polls on', async () => {
  const clock = new TestClock();
  const supervisor = createSupervisor({ clock });
  env = { supervisor, clock };
  const watchers = ODD.map(([name, make]) =>
    supervisor.watch({
      name,
      pollIntervalMs: 1_000,
      backoff: { maxAttempts: 1 },
      probe: () => Promise.reject(make()),
    }),
  );
  await clock.advance(0);
  await clock.advance(1_000);
  for (const watcher of watchers) {
    expect(watcher.actor.getSnapshot().status).toBe('active');
    expect(supervisor.watcher(watcher.name)).toBe(watcher);
    const status = watcher.status();
    expect(status).toMatchObject({ state: 'down', probes: 2 });
    expect(typeof status.lastError?.message).toBe('string');
    expect(JSON.stringify(status)).not.toContain('SECRET-9');
  }
});

it('a probe rejecting with a revoked proxy (every read of it throws, Array.isArray too): named as a value that cannot be read', async () => {
  const clock = new TestClock();
  const supervisor = createSupervisor({ clock });
  env = { supervisor, clock };
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const watcher = supervisor.watch({
    name: 'revoked',
    backoff: { maxAttempts: 1 },
    probe: () => Promise.reject(proxy),
  });
  await clock.advance(0);
  expect(watcher.actor.getSnapshot().status).toBe('active');
  // It was the TypeError describing it threw: "Cannot perform 'IsArray' on a proxy that has been revoked".
  expect(watcher.status()).toMatchObject({
    state: 'down',
    lastError: { message: 'the probe failed with a value that cannot be read' },
  });
});
