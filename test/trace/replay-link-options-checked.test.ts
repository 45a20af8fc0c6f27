/**
 * replayTrace's `linkOptions` are the caller's: link options connect() would refuse, a function's
 * answer too, reject with LV_ERR_INVALID_OPTION / LV_ERR_UNKNOWN_OPTION naming `linkOptions`, and a
 * function that throws with LV_ERR_LISTENER (option `linkOptions`, its text only in `cause`), never
 * a divergence "at step 1" that blames the trace (with the thrown text, which may hold a secret,
 * in the result). The replay leaves nothing running either way.
 */
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../../src/testing/index.js';
import { recordFeedStall } from './memory-session.js';

describe('replayTrace(trace, { linkOptions }): the options of the caller', () => {
  it.each([
    ['an object connect() refuses', { heartbeat: 'x' }, 'LV_ERR_INVALID_OPTION', 'linkOptions.heartbeat'],
    ['an unknown key', { bogus: 1 }, 'LV_ERR_UNKNOWN_OPTION', 'linkOptions.bogus'],
    [
      'a function answering what connect() refuses',
      () => ({ heartbeat: 'x' }),
      'LV_ERR_INVALID_OPTION',
      'linkOptions.heartbeat',
    ],
    ['a function answering a number', () => 5, 'LV_ERR_INVALID_OPTION', 'linkOptions'],
  ])('%s: rejects naming it', async (_, linkOptions, code, option) => {
    const trace = await recordFeedStall();
    await expect(replayTrace(trace, { linkOptions: linkOptions as never })).rejects.toMatchObject({
      code,
      option,
    });
  });

  it('a function that throws: LV_ERR_LISTENER naming linkOptions, its text only in the cause', async () => {
    const trace = await recordFeedStall();
    const thrown = new Error('token=abc123');
    const error = await replayTrace(trace, {
      linkOptions: () => {
        throw thrown;
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LV_ERR_LISTENER', option: 'linkOptions', cause: thrown });
    expect((error as Error).message).not.toContain('abc123');
  });

  it.each([
    ['a function answering another id', () => ({ id: 'other' })],
    ['an object with another id', { id: 'other' }],
  ])('%s: LV_ERR_INVALID_OPTION naming linkOptions.id, never a divergence', async (_, linkOptions) => {
    const trace = await recordFeedStall();
    await expect(replayTrace(trace, { linkOptions: linkOptions as never })).rejects.toMatchObject({
      code: 'LV_ERR_INVALID_OPTION',
      option: 'linkOptions.id',
    });
  });

  it('good ones still replay identically', async () => {
    const trace = await recordFeedStall();
    expect((await replayTrace(trace, { linkOptions: () => ({ shouldReconnect: () => true }) })).ok).toBe(
      true,
    );
    expect((await replayTrace(trace, { linkOptions: {} })).ok).toBe(true);
    // Its own id, given back: the same link.
    expect((await replayTrace(trace, { linkOptions: { id: 'feed' } })).ok).toBe(true);
  });
});
