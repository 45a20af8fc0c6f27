/**
 * The options of a replayed link (./replay-session.ts): the recorded chart input (`peer.add`'s
 * input) back as LinkOptions, its app-mode heartbeat payloads, and the trace's JSON read back.
 */
import type { LinkOptions } from '../runtime/options.js';
import type { TraceJson } from '../trace/trace-format.js';

/** App-mode heartbeat payloads of replayed links (their own ping/isPong are code, not data). */
export const PING = 'linkvisor-replay:ping';
export const PONG = 'linkvisor-replay:pong';
export const ACTIVITY = 'linkvisor-replay:activity';

/** A JSON object of the trace, or an empty one. */
export function asRecord(value: TraceJson | undefined): Record<string, TraceJson> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

/** JSON numbers back (non-finite ones were written as strings). */
function numbersOf(value: TraceJson | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(asRecord(value))) {
    out[key] = inner === 'Infinity' ? Number.POSITIVE_INFINITY : inner;
  }
  return out;
}

/** The options that give a replayed link the recorded chart input (`peer.add`'s input). */
export function replayLinkOptions(
  input: Record<string, TraceJson>,
  handshake: LinkOptions['handshake'],
): LinkOptions {
  const linkId = String(input.linkId ?? '');
  const heartbeat = numbersOf(input.heartbeat);
  const timeouts = numbersOf(input.timeouts);
  const options: LinkOptions = {
    id: linkId.replace(/^link:/, ''),
    backoff: numbersOf(input.backoff),
    heartbeat:
      heartbeat.mode === 'off'
        ? false
        : {
            ...heartbeat,
            ...(heartbeat.mode === 'app' ? { ping: () => PING, isPong: (data) => data === PONG } : {}),
          },
    ...timeouts,
  };
  if (input.intensity === false) options.intensity = false;
  else if (input.intensity !== undefined) options.intensity = numbersOf(input.intensity);
  if (typeof input.seed === 'number') options.seed = input.seed;
  if (input.autoConnect === false) options.autoConnect = false;
  if (input.hasHandshake === true) options.handshake = handshake;
  if (typeof input.resume === 'object' && input.resume !== null) options.resume = numbersOf(input.resume);
  return options;
}
