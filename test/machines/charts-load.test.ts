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

  it('shard', async () => {
    const { shardMachine } = await import('../../machines/shard.machine.js');
    expect(shardMachine.id).toBe('shard');
    expect(Object.keys(shardMachine.root.states)).toEqual(['open', 'over']);
  });

  it('greeting', async () => {
    const { greetingMachine } = await import('../../machines/greeting.machine.js');
    expect(greetingMachine.id).toBe('greeting');
    expect(Object.keys(greetingMachine.root.states)).toEqual(['waiting', 'settled', 'timedOut']);
  });

  it('farewell', async () => {
    const { farewellMachine } = await import('../../machines/farewell.machine.js');
    expect(farewellMachine.id).toBe('farewell');
    expect(Object.keys(farewellMachine.root.states)).toEqual(['idle', 'waiting']);
  });

  it('reservations', async () => {
    const { reservationsMachine } = await import('../../machines/reservations.machine.js');
    expect(reservationsMachine.id).toBe('reservations');
    expect(Object.keys(reservationsMachine.root.states)).toEqual(['clear', 'holding']);
  });

  it('session', async () => {
    const { sessionMachine } = await import('../../machines/session.machine.js');
    expect(sessionMachine.id).toBe('session');
    expect(Object.keys(sessionMachine.root.states)).toEqual([
      'attached',
      'away',
      'expired',
      'evicted',
      'ended',
    ]);
  });
});

/** Every `description` in a chart's config, at any depth (states and transitions). */
function descriptions(config: unknown, path = 'config'): [string, unknown][] {
  if (!config || typeof config !== 'object') return [];
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(config)) {
    if (key === 'description') out.push([path, value]);
    else out.push(...descriptions(value, `${path}.${key}`));
  }
  return out;
}

describe('the charts document themselves', () => {
  it('every description of a state or transition is a sentence (the inspector shows them)', async () => {
    const charts = [
      (await import('../../machines/connection.machine.js')).connectionMachine,
      (await import('../../machines/socket.machine.js')).socketMachine,
      (await import('../../machines/watcher.machine.js')).watcherMachine,
      (await import('../../machines/session.machine.js')).sessionMachine,
      (await import('../../machines/shard.machine.js')).shardMachine,
      (await import('../../machines/greeting.machine.js')).greetingMachine,
      (await import('../../machines/farewell.machine.js')).farewellMachine,
      (await import('../../machines/reservations.machine.js')).reservationsMachine,
    ];
    for (const chart of charts) {
      const found = descriptions(chart.config, chart.id);
      expect(found.length, chart.id).toBeGreaterThan(0);
      for (const [where, text] of found) {
        expect(typeof text === 'string' && /^\S.{9,}[.)]$/s.test(text), `${where}: ${String(text)}`).toBe(
          true,
        );
      }
    }
  });
});
