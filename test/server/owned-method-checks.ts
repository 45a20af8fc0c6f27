/**
 * The option checks every owned write method of a shared store gets (`putOwned`, `replaceOwned`,
 * `claimOwned`): one that is not a function, or one given without `deleteOwned` (a store servers
 * share has it; without it the method would never be called), is LV_ERR_INVALID_OPTION naming
 * `store.<method>`. Registers the two tests inside the caller's `describe`.
 */
import { expect, it } from 'vitest';
import { resumable } from '../../src/server/index.js';
import type { useHarness } from '../helpers/harness.js';

export function ownedMethodChecks(
  h: ReturnType<typeof useHarness>,
  method: 'putOwned' | 'replaceOwned' | 'claimOwned',
): void {
  const base = { get: () => undefined, put: () => {}, delete: () => {} };

  it.each(['yes', 1, null, {}])(`${method} %j: LV_ERR_INVALID_OPTION naming store.${method}`, async (bad) => {
    const server = await h.wsServer();
    const store = { ...base, deleteOwned: () => {}, [method]: bad };
    expect(() => resumable(server.wss, { store: store as never })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: `store.${method}` }),
    );
  });

  it(`${method} without deleteOwned: LV_ERR_INVALID_OPTION naming store.${method}`, async () => {
    const server = await h.wsServer();
    const store = { ...base, [method]: () => true };
    expect(() => resumable(server.wss, { store: store as never })).toThrow(
      expect.objectContaining({
        code: 'LV_ERR_INVALID_OPTION',
        option: `store.${method}`,
        message: expect.stringContaining('deleteOwned'),
      }),
    );
  });
}
