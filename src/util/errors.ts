/**
 * Every error linkvisor throws or reports is a LinkvisorError with a stable `code` (LV_ERR_*),
 * listed in docs/errors.md. Messages name the offending option or value, never a secret.
 */

export const ERROR_CODES = {
  LV_ERR_INVALID_OPTION: 'an option has a wrong type or value',
  LV_ERR_UNKNOWN_OPTION: 'an option name is not known (often a typo)',
  LV_ERR_INVALID_URL: 'the URL is malformed or its scheme is not supported by the transport',
  LV_ERR_BLOCKED_URL: 'the platform refused to connect to the URL (a SecurityError)',
  LV_ERR_INVALID_DATA:
    'a value on its way to the socket cannot be sent: send() or a heartbeat ping() gave a wrong type or a detached buffer, or the socket refused a queued message (reported as dropped)',
  LV_ERR_QUEUE_FULL: 'the outbound queue is full and its overflow policy is `reject`',
  LV_ERR_LINK_CLOSED: 'the link was closed: it sends nothing and will not become ready',
  LV_ERR_LINK_FAILED: 'the link failed (fatal reason, or gave up) and will not become ready',
  LV_ERR_SUPERVISOR_CLOSED: 'the supervisor was closed: it accepts no new links',
  LV_ERR_DUPLICATE_ID: 'a link with this id already exists in the supervisor',
  LV_ERR_INVALID_DELAY: 'a backoff function returned something other than a finite delay ≥ 0',
  LV_ERR_RESOLVE: 'a per-attempt function (URL, protocols, headers, options) threw or rejected',
  LV_ERR_LISTENER: 'an event listener or an application callback threw; the link carries on',
  LV_ERR_TRANSPORT:
    'a custom transport (or the WebSocket class given to the drop-in) threw; the attempt ends or carries on, the link never breaks',
  LV_ERR_UNSUPPORTED: 'the transport cannot do what was asked (e.g. protocol pings in a browser)',
  LV_ERR_ABORTED: 'the operation was aborted through its AbortSignal',
  LV_ERR_RESUME:
    'the resume protocol failed: the server does not speak it (it answered the hello with something else), or broke it mid-session',
  LV_ERR_INVALID_TRACE: 'a session trace is not a linkvisor trace (or not one this version reads)',
  LV_ERR_RUNAWAY_TIMERS:
    'TestClock.advance() fired maxTimersPerInstant timers at one instant, and more were due',
  LV_ERR_NO_TRANSPORT:
    "a defineLink link's input is not from its definition, its link ended, or another link runs it",
} as const;

/** Every stable error code (`LV_ERR_*`), listed in docs/errors.md. */
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Every error linkvisor throws or reports: a stable `code`, `option` for option errors (the dotted
 * path), and `cause`. Messages never contain a secret.
 */
export class LinkvisorError extends Error {
  override readonly name = 'LinkvisorError';
  readonly code: ErrorCode;
  /** The option the error is about, as a dotted path (e.g. `backoff.initialDelayMs`). */
  readonly option: string | undefined;

  constructor(code: ErrorCode, message: string, options: { option?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.option = options.option;
  }
}

/** An error about one option: the message starts with the option's path. */
export function optionError(
  option: string,
  problem: string,
  code: ErrorCode = 'LV_ERR_INVALID_OPTION',
): LinkvisorError {
  return new LinkvisorError(code, `${option}: ${problem}`, { option });
}
