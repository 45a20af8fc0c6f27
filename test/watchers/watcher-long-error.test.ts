/**
 * A probe's error of 1 MB (message and code) is bounded: status(), lastError(), onDown and the
 * health details carry at most PROBE_ERROR_MAX_CHARS of it, cut at a character boundary (never
 * half an emoji's surrogate pair) and marked with its length; redacted before the cut, so a secret
 * anywhere in it is gone and one at the cut is not half shown. Simulated clock.
 */
import { expect, it } from 'vitest';
import { PROBE_ERROR_MAX_CHARS } from '../../machines/policy/watcher.js';
import { healthReport, type ProbeError } from '../../src/index.js';
import { useWatcherEnv } from './watcher-env.js';

const setup = useWatcherEnv();

it('a 1 MB probe error is cut to PROBE_ERROR_MAX_CHARS, at a character boundary, marked, redacted', async () => {
  const { clock, supervisor } = setup();
  // A surrogate pair straddles every possible cut point near the bound.
  const message = `refused password=SECRET-1 ${'😀'.repeat(500_000)} token=SECRET-2`;
  const code = `E${'😀'.repeat(10_000)}`;
  const downs: ProbeError[] = [];
  let healthy = true;
  const watcher = supervisor.watch({
    name: 'db',
    pollIntervalMs: 1_000,
    probe: async () => {
      if (healthy) return;
      throw Object.assign(new Error(message), { code });
    },
    onDown: (error) => {
      downs.push(error);
    },
  });
  await clock.advance(0);
  healthy = false;
  await clock.advance(1_000);
  expect(downs).toHaveLength(1);
  const seen = [
    downs[0],
    watcher.lastError(),
    watcher.status().lastError,
    supervisor.status().watchers.find((w) => w.name === 'db')?.lastError,
    healthReport(supervisor).watchers.find((w) => w.name === 'db')?.lastError,
  ];
  for (const error of seen) {
    expect(error?.message.length).toBeLessThanOrEqual(PROBE_ERROR_MAX_CHARS);
    expect(error?.message).toMatch(/^refused password=\S+ 😀+… \(cut from \d+\)$/u);
    expect(error?.message).not.toContain('SECRET');
    expect(error?.code?.length).toBeLessThanOrEqual(PROBE_ERROR_MAX_CHARS);
    expect(error?.code).toMatch(/^E😀+… \(cut from 20001\)$/u);
    // No lone surrogate: the text survives a UTF-8 round trip unchanged.
    for (const text of [error?.message, error?.code]) {
      expect(new TextDecoder().decode(new TextEncoder().encode(text))).toBe(text);
    }
  }
});

it('a message at the bound is kept whole, unmarked', async () => {
  const { clock, supervisor } = setup();
  const message = 'x'.repeat(PROBE_ERROR_MAX_CHARS);
  const watcher = supervisor.watch({
    name: 'db',
    probe: async () => {
      throw new Error(message);
    },
  });
  await clock.advance(0);
  expect(watcher.lastError()?.message).toBe(message);
});
