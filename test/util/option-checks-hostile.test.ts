/**
 * A one-of option (`backoff.jitter`, `queue.overflow`, `heartbeat.mode`, `intensity.then`, a health handler's `showDetails`, the
 * drop-in's `jitter`) given a value that cannot be turned into a string (an object without a
 * prototype, one whose `toString` throws): LV_ERR_INVALID_OPTION naming the option, the value shown
 * by its kind. Before, the check's `String(value)` threw a TypeError or the application's own error
 * instead. Option checks run before any socket: no server needed.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor, healthHandler, LinkvisorError, ReconnectingWebSocket } from '../../src/index.js';

const hostile = (): [string, unknown][] => [
  ['no prototype', Object.create(null)],
  [
    'a throwing toString',
    {
      toString() {
        throw new Error('mine');
      },
    },
  ],
  ['a symbol', Symbol('s')],
];

const refusal = (fn: () => unknown): LinkvisorError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof LinkvisorError) return error;
    throw error;
  }
  throw new Error('accepted');
};

describe('a one-of option given a value that cannot be shown', () => {
  for (const [what, value] of hostile()) {
    it(`${what}: LV_ERR_INVALID_OPTION naming the option`, async () => {
      const supervisor = createSupervisor({ heartbeat: false });
      try {
        const cases: [string, () => unknown][] = [
          [
            'backoff.jitter',
            () => supervisor.connect('ws://127.0.0.1:9', { backoff: { jitter: value as never } }),
          ],
          [
            'queue.overflow',
            () => supervisor.connect('ws://127.0.0.1:9', { queue: { overflow: value as never } }),
          ],
          [
            'heartbeat.mode',
            () => supervisor.connect('ws://127.0.0.1:9', { heartbeat: { mode: value as never } }),
          ],
          [
            'intensity.then',
            // biome-ignore lint/suspicious/noThenProperty: the option is named `then`
            () => supervisor.connect('ws://127.0.0.1:9', { intensity: { then: value as never } }),
          ],
          ['showDetails', () => healthHandler(supervisor, { showDetails: value as never })],
          ['jitter', () => new ReconnectingWebSocket('ws://127.0.0.1:9', [], { jitter: value as never })],
        ];
        for (const [option, fn] of cases) {
          const error = refusal(fn);
          expect([error.code, error.option]).toEqual(['LV_ERR_INVALID_OPTION', option]);
          expect(error.message).toMatch(/must be .*, got (object|symbol)$/);
        }
        expect(supervisor.status().links).toEqual([]);
      } finally {
        await supervisor.close();
      }
    });
  }
});
