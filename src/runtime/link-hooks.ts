/**
 * Which application hooks (functions) a link has: a trace names them, because code cannot be
 * recorded; a replay that needs them supplies its own (`replayTrace(trace, { linkOptions })`).
 */
import type { WireConfig } from './wire-config.js';

export function hooksOf(config: WireConfig | undefined): string[] {
  if (!config) return [];
  const hooks: [string, unknown][] = [
    ['url', config.url],
    ['protocols', config.protocols],
    ['headers', config.headers],
    ['wsOptions', config.wsOptions],
    ['handshake', config.handshake],
    ['heartbeat.ping', config.ping],
    ['heartbeat.isPong', config.isPong],
    ['shouldReconnect', config.shouldReconnect],
    ['backoff', config.backoffFn],
  ];
  return hooks.filter(([, value]) => typeof value === 'function').map(([name]) => name);
}
