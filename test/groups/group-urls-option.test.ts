/**
 * A bad entry of `connectGroup(urls)` — a hole (`[a, , c]`), undefined, a number, an http: URL, a
 * string that is no URL — was reported as option `url` ("url: must be a string…"): the user could
 * not tell which of the group's URLs was wrong. Now the option and the message name its place,
 * `urls[1]`, and still no link is made (all or nothing).
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor, type LinkvisorError } from '../../src/index.js';

const thrown = (fn: () => unknown): LinkvisorError => {
  try {
    fn();
  } catch (error) {
    return error as LinkvisorError;
  }
  throw new Error('did not throw');
};

describe('connectGroup(urls): a bad URL is named by its place', () => {
  it.each([
    [
      'a hole',
      // biome-ignore lint/suspicious/noSparseArray: the hole is the case under test
      ['ws://127.0.0.1:1', , 'ws://127.0.0.1:3'],
      1,
      /^urls\[1\]: must be a string, a URL or a function/,
    ],
    ['undefined', ['ws://127.0.0.1:1', 'ws://127.0.0.1:2', undefined], 2, /^urls\[2\]: must be a string/],
    ['a number', [42], 0, /^urls\[0\]: must be a string/],
    [
      'an http: URL',
      ['ws://127.0.0.1:1', 'http://127.0.0.1:2'],
      1,
      /^urls\[1\]: scheme 'http' is not supported/,
    ],
    ['no URL', ['ws://127.0.0.1:1', 'not a url'], 1, /^urls\[1\]: not a valid URL/],
  ])('%s', async (_what, urls, index, message) => {
    const supervisor = createSupervisor();
    try {
      const error = thrown(() => supervisor.connectGroup(urls as string[], { id: 'g' }));
      expect(error.code).toBe('LV_ERR_INVALID_URL');
      expect(error.option).toBe(`urls[${index}]`);
      expect(error.message).toMatch(message);
      expect(supervisor.status().links).toEqual([]);
      expect(supervisor.status().groups).toEqual([]);
    } finally {
      await supervisor.close();
    }
  });

  it('an option error that is not about a URL keeps its name', async () => {
    const supervisor = createSupervisor();
    try {
      const error = thrown(() =>
        supervisor.connectGroup(['ws://127.0.0.1:1'], { id: 'g', backoff: { initialDelayMs: -1 } }),
      );
      expect(error.option).toBe('backoff.initialDelayMs');
    } finally {
      await supervisor.close();
    }
  });
});
