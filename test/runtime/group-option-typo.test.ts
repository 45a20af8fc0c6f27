/**
 * A misspelt `connectGroup()` option gets the same "did you mean" hint as every other option, and
 * the list of known options it prints names `strategy`. Before (round 28), a group's options were
 * checked as a link's once `strategy` had been taken out: `{ strateg: 'one-for-all' }` said
 * "unknown option; known: id, protocols, …" with no hint and no `strategy` among the names, so the
 * error sent the reader away from the one option they meant. Real `ws` server on loopback.
 * A misspelt strategy's value (`'one_for_all'`) is quoted with its hint as any one-of option's
 * (`shownChoice`); before (round 28 review) it said only "got a string". Any other string, and a
 * credential pasted as a key, is never quoted.
 */
import { describe, expect, it } from 'vitest';
import { FAST, useHarness } from '../helpers/harness.js';
import { SECRET_SHAPES } from '../helpers/secret-shapes.js';
import { thrown } from '../helpers/thrown.js';

describe('connectGroup(): a misspelt option', () => {
  const h = useHarness();

  it.each([
    ['strateg', 'strategy'],
    ['Strategy', 'strategy'],
    ['heartbaet', 'heartbeat'],
  ])(
    '%s → LV_ERR_UNKNOWN_OPTION naming it, with the hint %s and strategy among the known',
    async (key, hint) => {
      const server = await h.wsServer();
      const supervisor = h.supervisor(FAST);
      const error = thrown(() =>
        supervisor.connectGroup([server.url], { id: 'g', [key]: 'one-for-all' } as never),
      );
      expect([error.code, error.option]).toEqual(['LV_ERR_UNKNOWN_OPTION', key]);
      expect(error.message).toContain(`(did you mean '${hint}'?)`);
      expect(error.message.slice(error.message.indexOf('known: ')).split(/, |: /)).toContain('strategy');
      // Nothing was created; the supervisor goes on.
      expect(supervisor.status().groups).toEqual([]);
      expect(supervisor.status().links).toEqual([]);
      const group = supervisor.connectGroup([server.url], { id: 'g', strategy: 'one-for-all' });
      await group.ready();
      expect(server.upgrades).toBe(1);
    },
  );
});

describe('connectGroup(): a misspelt strategy', () => {
  const h = useHarness();

  it.each([
    ['one_for_all', 'one-for-all'],
    ['ONE-FOR-ALL', 'one-for-all'],
    ['rest-for-on', 'rest-for-one'],
  ])('%s → LV_ERR_INVALID_OPTION naming strategy, quoted with the hint %s', (given, hint) => {
    const supervisor = h.supervisor(FAST);
    const error = thrown(() =>
      supervisor.connectGroup(['ws://127.0.0.1:1'], { id: 'g', strategy: given as never }),
    );
    expect([error.code, error.option]).toEqual(['LV_ERR_INVALID_OPTION', 'strategy']);
    expect(error.message).toBe(
      `strategy: must be 'one-for-one', 'one-for-all', 'rest-for-one', got '${given}' (did you mean '${hint}'?)`,
    );
    expect(supervisor.status().groups).toEqual([]);
  });

  it.each(SECRET_SHAPES)('%s as the strategy is shown by its length only', (_name, secret, parts) => {
    const supervisor = h.supervisor(FAST);
    const error = thrown(() =>
      supervisor.connectGroup(['ws://127.0.0.1:1'], { id: 'g', strategy: secret as never }),
    );
    expect([error.code, error.option]).toEqual(['LV_ERR_INVALID_OPTION', 'strategy']);
    expect(error.message).toMatch(/, got a string of \d+ characters$/);
    for (const part of parts) expect(error.message).not.toContain(part);
  });

  it.each(SECRET_SHAPES)('%s pasted as an option key is not quoted', (_name, secret, parts) => {
    const supervisor = h.supervisor(FAST);
    const error = thrown(() =>
      supervisor.connectGroup(['ws://127.0.0.1:1'], { id: 'g', [secret]: 1 } as never),
    );
    expect(error.code).toBe('LV_ERR_UNKNOWN_OPTION');
    for (const part of parts) {
      expect(error.message).not.toContain(part);
      expect(String(error.option)).not.toContain(part);
    }
    expect(supervisor.status().groups).toEqual([]);
  });
});
