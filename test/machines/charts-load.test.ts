/**
 * The charts build: each machine module loads and its machine resolves. A chart whose config
 * cannot build (a state's `initial` naming no child, a target that does not exist) throws while
 * its module loads, which leaves every other test file of the chart without tests rather than
 * failing; this file fails instead (dynamic imports inside the tests), so mutation testing counts
 * such a mutant as killed, not as survived.
 */
import { describe, expect, it } from 'vitest';

describe('the charts build', () => {
  it('connection', async () => {
    const { connectionMachine } = await import('../../machines/connection.machine.js');
    expect(connectionMachine.id).toBe('connection');
    expect(Object.keys(connectionMachine.root.states)).toContain('idle');
  });

  it('socket', async () => {
    const { socketMachine } = await import('../../machines/socket.machine.js');
    expect(socketMachine.id).toBe('socket');
  });

  it('watcher', async () => {
    const { watcherMachine } = await import('../../machines/watcher.machine.js');
    expect(watcherMachine.id).toBe('watcher');
  });
});
