/**
 * The outbound queue: what happens to `send()` while the link is not ready.
 * The queue itself lives in the runtime (it holds payloads, which never enter the chart); its
 * bounds and overflow policy live here with the other numbers.
 */
export type OverflowPolicy = 'reject' | 'drop-oldest' | 'drop-newest';

/** Every overflow policy of the outbound queue. */
export const OVERFLOW_POLICIES: readonly OverflowPolicy[] = ['reject', 'drop-oldest', 'drop-newest'];

/** The outbound queue of a link that is not ready: its bounds and what a full queue does. */
export interface QueueOptions {
  /** Messages held while the link is not ready; 0 disables queueing (send throws when down). */
  maxMessages: number;
  /** Bytes held while the link is not ready (UTF-8 length of strings, byteLength of binary). */
  maxBytes: number;
  /** What a `send()` that does not fit does. */
  overflow: OverflowPolicy;
}

/** Queue defaults: 1,000 messages, 1 MiB, `reject` (a full queue throws `LV_ERR_QUEUE_FULL`). */
export const QUEUE_DEFAULTS: Readonly<QueueOptions> = Object.freeze({
  maxMessages: 1_000,
  maxBytes: 1024 * 1024,
  overflow: 'reject',
});
