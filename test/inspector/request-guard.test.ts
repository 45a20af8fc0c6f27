/**
 * The request guard on the inspector's default HTTP port: browsers leave `:80` out of `Host` and
 * `Origin` (and URL parsing drops it), so an inspector on port 80 answered 403 to every request of
 * its own page. Other ports must still be named.
 */
import { describe, expect, it } from 'vitest';
import { checkHost, checkOrigin, type GuardConfig } from '../../src/inspector/request-guard.js';

const on = (port: number): GuardConfig => ({
  port,
  token: 'abcdefghijklmnop',
  hosts: new Set(['127.0.0.1']),
});

describe('request guard: ports', () => {
  it('on port 80, accepts Host and Origin with the port left out or given', () => {
    for (const host of ['127.0.0.1', '127.0.0.1:80']) expect(checkHost(host, on(80)), host).toBe(true);
    for (const origin of ['http://127.0.0.1', 'http://127.0.0.1:80'])
      expect(checkOrigin(origin, on(80)), origin).toBe(true);
    expect(checkHost('127.0.0.1:8080', on(80))).toBe(false);
  });

  it('on another port, refuses a Host or Origin without it (or with 80)', () => {
    for (const host of ['127.0.0.1', '127.0.0.1:80']) expect(checkHost(host, on(8080)), host).toBe(false);
    expect(checkOrigin('http://127.0.0.1', on(8080))).toBe(false);
    expect(checkHost('127.0.0.1:8080', on(8080))).toBe(true);
  });
});
