/**
 * The connection chart's feature actions (machines/connection-features.ts: the resumable session's,
 * a group's restart, the network rejoin, an intensity that fails) are in the public
 * `connectionSetup` and `connectionMachine`, which the supervisor, `defineLink`, the model-based
 * tests and the inspector run; the core setup (`connectionCoreSetup`, the drop-in's chart) has
 * only no-op stand-ins of them. That the drop-in's links can never reach them is checked on real
 * links in test/dropin/chart-features.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { connectionMachine, connectionSetup } from '../../machines/connection.machine.js';
import { CONNECTION_FEATURE_ACTIONS } from '../../machines/connection-features.js';
import { connectionCoreSetup } from '../../machines/connection-setup.js';

describe('connection chart: its feature actions', () => {
  it('the public connectionSetup and connectionMachine carry them; the core only no-ops', () => {
    const full = connectionSetup.createMachine({ id: 'full', context: {} as never }).implementations.actions;
    const core = connectionCoreSetup.createMachine({ id: 'core', context: {} as never }).implementations
      .actions;
    expect(Object.keys(CONNECTION_FEATURE_ACTIONS).length).toBeGreaterThan(0);
    for (const [name, action] of Object.entries(CONNECTION_FEATURE_ACTIONS)) {
      expect(full[name as keyof typeof full], name).toBe(action);
      expect(connectionMachine.implementations.actions[name as keyof typeof full], name).toBe(action);
      expect(core[name as keyof typeof core], name).toBeDefined();
      expect(core[name as keyof typeof core], name).not.toBe(action);
    }
  });
});
