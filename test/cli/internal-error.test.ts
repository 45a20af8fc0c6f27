/**
 * An error nothing in the CLI expected (a bug, here thrown by the process layer it runs on) is
 * still one line on stderr with a stable code, `[LV_ERR_INTERNAL]`, exit code 1 — with any
 * credential its text quotes redacted, and whatever was thrown (`null`, an object whose `message`
 * getter throws) shown without throwing again out of main().
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fakeIO } from './helpers.js';

/** The process layer failing in a way no command checks for. */
function failingIO(thrown: () => unknown) {
  const io = fakeIO();
  return Object.assign(io, {
    onSignal: () => {
      throw thrown();
    },
  });
}

describe('cli: an unexpected error', () => {
  it('is one line with LV_ERR_INTERNAL, exit code 1, its credentials redacted', async () => {
    const io = failingIO(
      () => new TypeError('cannot reach wss://alice:hunter2@example.org/feed?token=s3cr3t-value'),
    );
    expect(await main(['connect', 'ws://127.0.0.1:1/'], io)).toBe(1);
    const err = io.err();
    expect(err).toMatch(/^linkvisor: cannot reach wss:\/\/.*example\.org\/feed.* \[LV_ERR_INTERNAL\]\n$/);
    expect(err).not.toContain('hunter2');
    expect(err).not.toContain('s3cr3t-value');
  });

  it.each([
    ['null', () => null, /^linkvisor: null \[LV_ERR_INTERNAL\]\n$/],
    ['a string', () => 'plain text', /^linkvisor: plain text \[LV_ERR_INTERNAL\]\n$/],
    [
      'an object whose message getter throws',
      () => ({
        get message(): string {
          throw new Error('no');
        },
      }),
      /^linkvisor: object that cannot be shown \[LV_ERR_INTERNAL\]\n$/,
    ],
  ])('%s thrown: still one line, exit code 1', async (_name, thrown, line) => {
    const io = failingIO(thrown);
    expect(await main(['connect', 'ws://127.0.0.1:1/'], io)).toBe(1);
    expect(io.err()).toMatch(line);
  });
});
