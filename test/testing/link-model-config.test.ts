/**
 * createLinkTestModel's config is checked at once: a misspelt key (`handshak: true`) used to give
 * a model without a handshake, and every test generated from it passed while covering less; a
 * wrong value (`maxAttempts: -1`, `intensity: 'off'`) made a model of a link no one configures.
 */
import { describe, expect, it } from 'vitest';
import { createLinkTestModel, linkModelOptions } from '../../src/testing/index.js';

describe('createLinkTestModel(config)', () => {
  it('refuses an unknown key or a wrong value, naming it', () => {
    const bad: [unknown, string, string][] = [
      [{ handshak: true }, 'LV_ERR_UNKNOWN_OPTION', 'handshak'],
      [{ handshake: 'yes' }, 'LV_ERR_INVALID_OPTION', 'handshake'],
      [{ commands: 1 }, 'LV_ERR_INVALID_OPTION', 'commands'],
      [{ maxAttempts: -1 }, 'LV_ERR_INVALID_OPTION', 'maxAttempts'],
      [{ maxAttempts: Number.POSITIVE_INFINITY }, 'LV_ERR_INVALID_OPTION', 'maxAttempts'],
      [{ maxMissed: 0 }, 'LV_ERR_INVALID_OPTION', 'maxMissed'],
      [{ intensity: 'off' }, 'LV_ERR_INVALID_OPTION', 'intensity'],
      [null, 'LV_ERR_INVALID_OPTION', 'config'],
    ];
    for (const [config, code, option] of bad) {
      expect(() => createLinkTestModel(config as never)).toThrow(expect.objectContaining({ code, option }));
    }
    expect(() => linkModelOptions({ heartbeet: false } as never)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_UNKNOWN_OPTION', option: 'heartbeet' }),
    );
  });

  it('takes every documented key', () => {
    const model = createLinkTestModel({
      handshake: true,
      heartbeat: false,
      inProcess: false,
      autoConnect: true,
      maxAttempts: 1,
      maxMissed: 1,
      resume: false,
      intensity: false,
      perAttempt: false,
      commands: false,
    });
    expect(model.paths().length).toBeGreaterThan(0);
  });
});
