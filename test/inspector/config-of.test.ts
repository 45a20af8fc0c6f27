/**
 * The inspector reads a link's fixed guards from its context (configOf): the heartbeat's mode
 * lives in the context's shared policy object (`context.policy.heartbeat`).
 */
import { describe, expect, it } from 'vitest';
import { createConnectionContext } from '../../machines/connection.machine.js';
import { configOf } from '../../src/inspector/actor-figures.js';

describe('configOf(connection context)', () => {
  it('reads the heartbeat mode, the transport kind, the handshake and autoConnect', () => {
    const on = createConnectionContext({ linkId: 'link:a', label: 'ws://x/' });
    expect(configOf('connection', on as never)).toEqual({
      isInProcess: false,
      hasHandshake: false,
      autoConnect: true,
      heartbeatEnabled: true,
    });
    const off = createConnectionContext({
      linkId: 'link:b',
      label: 'mem://x',
      inProcess: true,
      heartbeat: { mode: 'off' },
    });
    expect(configOf('connection', off as never)).toMatchObject({
      isInProcess: true,
      heartbeatEnabled: false,
    });
  });
});
