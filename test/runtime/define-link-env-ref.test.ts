/**
 * What `defineLink` and `createSupervisor` are given besides link options, checked at once and
 * named: defineLink's `env` (its `transport` and `clock`), `handle(ref)`'s ref, a supervisor's
 * `transport`. Before, none was: an env of `null` or a clock without `now()` threw a raw TypeError,
 * an unknown env key was taken, a transport that is no transport was taken (by the supervisor
 * too) and failed later (`schemes` undefined); `handle()` of something that is no link actor threw
 * a TypeError (`getSnapshot is not a function`, `reading 'context'`).
 */
import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { createSupervisor, defineLink } from '../../src/index.js';
import { createMemoryNetwork } from '../../src/testing/index.js';
import { FAST } from '../helpers/harness.js';

const URL = 'ws://127.0.0.1:1/';
const invalid = (option: string, code = 'LV_ERR_INVALID_OPTION') =>
  expect.objectContaining({ name: 'LinkvisorError', code, option });

describe('defineLink env, handle(ref) and a supervisor transport, checked', () => {
  const badEnvs: [string, unknown, string, string?][] = [
    ['null', null, 'env'],
    ['a number', 5, 'env'],
    ['an unknown key', { clok: {} }, 'env.clok', 'LV_ERR_UNKNOWN_OPTION'],
    ['a clock without now()', { clock: {} }, 'env.clock'],
    ['a clock of null', { clock: null }, 'env.clock'],
    ['a transport that is an empty object', { transport: {} }, 'env.transport'],
    ['a transport of null', { transport: null }, 'env.transport'],
    [
      'a transport whose schemes are no list',
      { transport: { connect() {}, schemes: 'ws:' } },
      'env.transport',
    ],
  ];
  for (const [label, env, option, code] of badEnvs) {
    it(`defineLink env ${label}: ${code ?? 'LV_ERR_INVALID_OPTION'} naming ${option}`, () => {
      expect(() => defineLink(URL, FAST, env as never)).toThrow(invalid(option, code));
    });
  }

  const badTransports: [string, unknown][] = [
    ['an empty object', {}],
    ['a string', 'ws'],
    ['one without connect()', { schemes: ['ws:'] }],
    ['one whose watchNetwork is no function', { connect() {}, schemes: ['ws:'], watchNetwork: true }],
  ];
  for (const [label, transport] of badTransports) {
    it(`createSupervisor transport ${label}: LV_ERR_INVALID_OPTION naming transport`, () => {
      expect(() => createSupervisor({ transport: transport as never })).toThrow(
        invalid(
          transport && typeof transport === 'object' && 'watchNetwork' in transport
            ? 'transport.watchNetwork'
            : 'transport',
        ),
      );
    });
  }

  it('good envs and transports are taken', async () => {
    expect(() => defineLink(URL, FAST, {})).not.toThrow();
    expect(() => defineLink(URL, FAST, undefined)).not.toThrow();
    const memory = createMemoryNetwork().transport;
    expect(() => defineLink('mem://x', FAST, { transport: memory })).not.toThrow();
    const supervisor = createSupervisor({ transport: memory });
    await supervisor.close();
  });

  for (const [label, ref] of [
    ['null', null],
    ['undefined', undefined],
    ['an empty object', {}],
    ['a number', 5],
    ['an object whose getSnapshot() answers null', { getSnapshot: () => null }],
    [
      'an object whose getSnapshot() throws',
      {
        getSnapshot: () => {
          throw new Error('no');
        },
      },
    ],
  ] as const) {
    it(`handle(${label}): LV_ERR_INVALID_OPTION naming ref`, () => {
      const feed = defineLink(URL, FAST);
      expect(() => feed.handle(ref as never)).toThrow(invalid('ref'));
    });
  }

  it("handle() of another machine's actor: LV_ERR_INVALID_OPTION naming ref", () => {
    const feed = defineLink(URL, FAST);
    const other = createActor(createMachine({})).start();
    expect(() => feed.handle(other)).toThrow(invalid('ref'));
    other.stop();
  });
});
