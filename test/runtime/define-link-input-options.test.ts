/**
 * `definition.input(options)` checks what it is given, at once, naming the option: before, nothing
 * was checked, and a bad value broke the link's actor later (XState `error` status) or threw a
 * raw TypeError: a `seed` of NaN, Infinity or a string failed the actor as it started (RangeError),
 * a `parent` that is no actor failed it at its first report (`target._send is not a function`), an
 * `id` that is a symbol or whose toString() throws, and `null` options, threw TypeErrors, and a
 * misspelt key was taken silently. Real `ws` server on loopback for the link that runs.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { defineLink } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';

describe('defineLink: input() options', () => {
  const h = useHarness();

  const refused: [string, unknown, string, string?][] = [
    ['null', null, 'options'],
    ['a string', 'feed', 'options'],
    ['an array', [], 'options'],
    ['a misspelt key', { idd: 'feed' }, 'idd', 'LV_ERR_UNKNOWN_OPTION'],
    ['a symbol id', { id: Symbol('feed') }, 'id'],
    [
      'an id whose toString() throws',
      {
        id: {
          toString: () => {
            throw new Error('no');
          },
        },
      },
      'id',
    ],
    ['a number id', { id: 5 }, 'id'],
    ['an empty id', { id: '' }, 'id'],
    ['a seed of NaN', { seed: Number.NaN }, 'seed'],
    ['a seed of Infinity', { seed: Number.POSITIVE_INFINITY }, 'seed'],
    ['a string seed', { seed: '7' }, 'seed'],
    ['a fractional seed', { seed: 1.5 }, 'seed'],
    ['a parent that is no actor', { parent: {} }, 'parent'],
    ['a parent that is a number', { parent: 5 }, 'parent'],
    ['forwardMessages that is no boolean', { forwardMessages: 'yes' }, 'forwardMessages'],
  ];

  for (const [label, options, option, code = 'LV_ERR_INVALID_OPTION'] of refused) {
    it(`${label}: ${code} naming ${option}`, () => {
      const feed = defineLink('ws://127.0.0.1:1/', FAST);
      expect(() => feed.input(options as never)).toThrow(
        expect.objectContaining({ name: 'LinkvisorError', code, option }),
      );
    });
  }

  it('good options are taken (-0 and a negative seed too), and the link they make runs', async () => {
    const server = await h.wsServer();
    const feed = defineLink(server.url, FAST);
    const parent = createActor(feed.machine, { input: feed.input({ id: 'parent' }) });
    expect(() => feed.input({ seed: -0 })).not.toThrow();
    expect(() => feed.input({ seed: -42, forwardMessages: false })).not.toThrow();
    expect(() => feed.input({ id: 'x', parent, forwardMessages: true })).not.toThrow();
    expect(() => feed.input(undefined)).not.toThrow();
    const actor = createActor(feed.machine, { input: feed.input({ id: 'runs', seed: 3 }) }).start();
    h.defer(() => actor.stop());
    await feed.handle(actor).ready();
    expect(actor.getSnapshot().status).toBe('active');
  });
});
