/**
 * A store's `durable` is read as a boolean: anything else (`'false'`, `1`) is LV_ERR_INVALID_OPTION
 * naming `store.durable`, never taken as truthy (close() would leave the sessions to a store that
 * keeps nothing, their undelivered messages never reported `dropped`). Real `ws` server on
 * 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore, resumable } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';

describe('resumable(wss, { store }): store.durable', () => {
  const h = useHarness();

  it.each(['false', 'yes', 1, null])(
    'durable %j: LV_ERR_INVALID_OPTION naming store.durable',
    async (durable) => {
      const server = await h.wsServer();
      const memory = memoryStore();
      h.defer(() => memory.close());
      const store = {
        get: (id: string) => memory.get(id),
        put: (id: string, record: Parameters<typeof memory.put>[1], ttlMs: number) =>
          memory.put(id, record, ttlMs),
        delete: (id: string) => memory.delete(id),
        durable,
      };
      expect(() => resumable(server.wss, { store: store as never })).toThrow(
        expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'store.durable' }),
      );
    },
  );

  it('true, false or left out: accepted', async () => {
    const server = await h.wsServer();
    for (const durable of [true, false, undefined]) {
      const rs = resumable(server.wss, {
        store: {
          get: () => undefined,
          put: () => {},
          delete: () => {},
          ...(durable === undefined ? {} : { durable }),
        },
      });
      await rs.close();
    }
  });
});
