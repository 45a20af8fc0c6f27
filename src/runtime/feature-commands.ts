/**
 * The chart's commands for the link features (./link-features.ts): start the application handshake
 * (`transport.handshake`), the resume exchange (`transport.resume`) and acknowledge what was
 * received (`transport.ack`). The supervisor, defineLink and the testing entry offer them (the
 * link feature `commands`); the drop-in's links never get them (no handshake, no resume:
 * test/dropin/chart-features.test.ts), so its bundle leaves this file out
 * (test/size/bundle-size.test.ts).
 */
import type { TransportCommand } from '../../machines/connection.machine.js';
import type { Attempt } from './attempt.js';

/** Runs a feature command of the chart on `attempt` (the other commands are the attempt's own). */
export function featureCommand(attempt: Attempt, command: TransportCommand): void {
  const wire = attempt.wire;
  switch (command.type) {
    case 'transport.handshake': {
      const handshake = wire.config.handshake;
      if (handshake && attempt.connection) handshake(attempt, attempt.connection);
      else attempt.report({ type: 'handshake.ok' });
      return;
    }
    case 'transport.resume':
      if (wire.session && attempt.connection) wire.session.start(attempt);
      else {
        attempt.report({
          type: 'resume.failed',
          reason: { kind: 'invalid', errorCode: 'LV_ERR_RESUME', message: 'no session to resume' },
        });
      }
      return;
    case 'transport.ack':
      wire.session?.ack();
      return;
  }
}

/** Runs the chart's feature commands (the link feature `commands`). */
export type FeatureCommands = typeof featureCommand;
