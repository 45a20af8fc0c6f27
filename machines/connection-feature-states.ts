/**
 * The connection chart's feature states and transitions: what only a link with a feature reaches —
 * the application handshake (`handshaking`), the resumable session (`resuming`, its ack timer), a
 * group that restarts its members (`link.restart`, `disconnected`'s at-once branches), network
 * signals (`network.online`, `rejoining`) and an intensity that fails the link. Each is a slot of
 * the one chart (`connectionConfig` in ./connection.machine.ts places them where they stand in it):
 * `connectionMachine` is the chart with them, `connectionChart` (the drop-in's) the same chart
 * without them, so a bundle of the drop-in leaves this file, ./connection-features.ts (their
 * guards, delays and actions) and ./policy/network.ts out (test/size/dropin-chart.test.ts).
 * Plain data: every action, guard and delay is named here and implemented in connection-setup.ts
 * or connection-features.ts.
 */
import { and, not } from 'xstate';
import { literal } from './connection-literal.js';
import { attemptGrace, drainOnClose, startAttempt } from './connection-transitions.js';

/** What the application handshake (handshaking, and its timeout's I/O turn) does with events. */
export const handshakingEvents = literal({
  'handshake.ok': 'ready',
  'handshake.failed': { target: '#connection.disconnected', actions: 'recordReason' },
  'link.close': drainOnClose,
});

/** What the resume (resuming, and its timeout's I/O turn) does with events. */
export const resumingEvents = literal({
  'resume.done': {
    target: 'ready',
    actions: 'announceResume',
    description: 'New, resumed or reset: resumed/reset are announced before ready.',
  },
  'resume.failed': { target: '#connection.disconnected', actions: 'recordReason' },
  'link.close': drainOnClose,
});

/** The feature slots of the connection chart (`ChartFeatureSlots` in ./connection.machine.ts says
 * where each goes). */
export const CHART_FEATURES = literal({
  on: { 'network.online': { actions: 'enableReconnect' } },
  /** Leaving the socket's state: its ack timer goes with it (on a link that resumes: the only
   * one whose transport arms it). */
  exit: ['disarmAck'],
  attempt: {
    'resume.unacked': {
      actions: 'armAck',
      description: 'A message waits for its ack: the ack timer (ackDelay) starts again.',
    },
    'resume.ackDue': {
      actions: 'sendAck',
      description: 'The ack timer ran out: acknowledge what arrived.',
    },
  },
  open: [
    { guard: 'resumes', target: 'resuming' },
    { guard: 'hasHandshake', target: 'handshaking' },
  ],
  states: {
    handshaking: {
      tags: ['pending'],
      entry: 'startHandshake',
      after: {
        handshakeTimeout: 'handshakeGrace',
      },
      on: handshakingEvents,
    },
    handshakeGrace: attemptGrace('handshaking', handshakingEvents, 'recordHandshakeTimeout'),
    resuming: {
      tags: ['pending'],
      description: 'Resumable session: hello sent, waiting for the welcome; replay follows it.',
      entry: 'startResume',
      after: {
        resumeTimeout: 'resumeGrace',
      },
      on: resumingEvents,
    },
    resumeGrace: attemptGrace('resuming', resumingEvents, 'recordResumeTimeout'),
  },
  ready: {
    'link.restart': {
      target: '#connection.disconnected',
      actions: ['recordGroupRestart', 'announceLost'],
      description: 'Its group restarts it: a sibling was lost (reason kind group).',
    },
  },
  restart: [
    {
      guard: and(['groupRestart', not('reconnectDisabled'), 'isInProcess']),
      target: '#connection.attempt.ready',
      actions: 'announceRetryAtOnce',
    },
    {
      guard: and(['groupRestart', not('reconnectDisabled'), 'resolvesTarget']),
      target: '#connection.attempt.resolving',
      actions: 'announceRetryAtOnce',
    },
    {
      guard: and(['groupRestart', not('reconnectDisabled')]),
      target: '#connection.attempt.connecting',
      actions: 'announceRetryAtOnce',
      description: 'Restarted by its group: attempt at once.',
    },
  ],
  fails: [
    {
      guard: and(['intensityExceeded', 'intensityFails']),
      target: 'failed',
      actions: 'recordIntensityFailure',
      description: 'Restarted too often within the window, and the intensity says fail (OTP).',
    },
  ],
  suspended: {
    'network.online': {
      target: 'rejoining',
      actions: 'enableReconnect',
      description: 'The network is back (online, wake): attempt soon, not through the backoff.',
    },
  },
  root: {
    rejoining: {
      tags: ['pending'],
      description:
        'The network came back while the link waited for a retry: attempt after a short jittered delay (rejoinDelay) instead of the rest of its backoff.',
      entry: 'planRejoin',
      after: { rejoinDelay: startAttempt },
      on: {
        'reconnect.disable': { target: 'suspended', actions: 'disableReconnect' },
        'link.reconnect': startAttempt,
        'link.close': { target: 'closed', actions: ['clearReason', 'recordUserClose'] },
      },
    },
  },
  reconnecting: {
    'network.online': {
      target: 'rejoining',
      description: 'The network is back (online, wake): skip the rest of the backoff.',
    },
  },
});
