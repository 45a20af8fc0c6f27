/**
 * A Node `http` request listener for health checks: 200 when every required link and watcher is
 * ready and the supervisor is not degraded, 503 otherwise (healthReport, health.ts).
 *
 *   http.createServer(healthHandler(supervisor, { require: ['link:feed', 'postgres'] }))
 *
 * What the body shows follows Spring Boot Actuator's `show-details` (`never | when-authorized |
 * always`, default `never`): whoever reaches the port gets a summary — healthy or not, and counts
 * (`HealthSummary`): no link id, URL, watcher name or error. The full report (every link's state,
 * its redacted URL, errors…) only with `showDetails: 'always'`, or `'whenAuthorized'` and an
 * `authorize(request)` that says yes. Secrets never appear either way (status() redacts them).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AUTHORIZE_TIMEOUT_DEFAULT_MS, MAX_TIMER_MS } from '../../machines/policy/timeouts.js';
import { type Clock, systemClock } from '../util/clock.js';
import { describe, isRecord } from '../util/describe.js';
import { LinkvisorError, optionError } from '../util/errors.js';
import { headerSecrets } from '../util/header-secrets.js';
import { checkNumber, checkOneOf } from '../util/option-checks.js';
import { redactText, secretsOf } from '../util/redact.js';
import { redactedCause } from '../util/redacted-cause.js';
import { guardedClock } from './guarded-clock.js';
import { checkHealthArguments, type HealthOptions, type HealthReport, healthReport } from './health.js';
import type { Supervisor } from './supervisor.js';

/** When the body of `healthHandler` shows the full report rather than the summary. */
export type HealthDetails = 'never' | 'whenAuthorized' | 'always';

const DETAILS: readonly HealthDetails[] = ['never', 'whenAuthorized', 'always'];

/** Options of `healthHandler`: which links and watchers are required, and who sees details. */
export interface HealthHandlerOptions extends HealthOptions {
  /**
   * When the body is the full `HealthReport` (every link and watcher, redacted URLs, errors)
   * instead of the `HealthSummary`: `'never'` (the default: anyone who reaches the port sees
   * only healthy or not and counts), `'whenAuthorized'` (when `authorize(request)` resolves
   * true), `'always'` (a port only trusted callers reach). The status code is the same either way.
   */
  showDetails?: HealthDetails;
  /**
   * With `showDetails: 'whenAuthorized'` (and only then: required there, refused elsewhere): whether
   * this request may see the details, e.g. a bearer token compared in constant time. A throw or a
   * rejection counts as no (reported on the supervisor's `error` event, LV_ERR_LISTENER), and so
   * does anything but `true` (anything but a boolean is reported too, LV_ERR_INVALID_OPTION).
   */
  authorize?: (request: IncomingMessage) => boolean | Promise<boolean>;
  /**
   * With `showDetails: 'whenAuthorized'`: how long `authorize(request)` may take, in ms (default
   * 5,000). One that has not settled by then counts as no: the request gets the summary at once and
   * the hang is reported (LV_ERR_LISTENER), so a hung token store never leaves a probe unanswered.
   */
  authorizeTimeoutMs?: number;
}

/** What anyone who reaches a health endpoint sees by default: healthy or not, and counts. */
export interface HealthSummary {
  healthy: boolean;
  closed: boolean;
  degraded: boolean;
  /** How many links there are and how many are ready. */
  links: { total: number; ready: number };
  /** How many watchers there are and how many are ready. */
  watchers: { total: number; ready: number };
  /** How many required names are not ready (which ones only in the details). */
  failing: number;
}

/** The summary of a health report: healthy or not and counts, no name, URL or error. Anything but
 * a health report (`healthReport()`'s): LV_ERR_INVALID_OPTION naming `report`. */
export function healthSummary(report: HealthReport): HealthSummary {
  const r: unknown = report;
  if (!isRecord(r) || !Array.isArray(r.links) || !Array.isArray(r.watchers) || !Array.isArray(r.failing))
    throw optionError('report', `must be a health report (healthReport()), got ${describe(report)}`);
  const count = (list: readonly { ready: boolean }[]) => ({
    total: list.length,
    ready: list.filter((item) => item.ready).length,
  });
  return {
    healthy: report.healthy,
    closed: report.closed,
    degraded: report.degraded,
    links: count(report.links),
    watchers: count(report.watchers),
    failing: report.failing.length,
  };
}

const HANDLER_KEYS: ReadonlySet<string> = new Set([
  'require',
  'allowDegraded',
  'showDetails',
  'authorize',
  'authorizeTimeoutMs',
]);

/** The body of a 500: the status could not be read (the error itself may hold a secret). */
const UNREADABLE = JSON.stringify({ healthy: false, error: 'the status could not be read' });

/**
 * An HTTP request listener for a health endpoint: 200 when every required link and watcher is
 * ready, 503 otherwise; the body is the `HealthSummary`, or the full `HealthReport` as
 * `showDetails` allows (`http.createServer(healthHandler(supervisor))`).
 */
export function healthHandler(supervisor: Supervisor, options: HealthHandlerOptions = {}) {
  checkHealthArguments(supervisor, options, HANDLER_KEYS);
  const showDetails =
    options.showDetails === undefined ? 'never' : checkOneOf(options.showDetails, DETAILS, 'showDetails');
  const { authorize } = options;
  if (showDetails === 'whenAuthorized' && typeof authorize !== 'function')
    throw optionError(
      'authorize',
      `must be a function with showDetails 'whenAuthorized', got ${describe(authorize)}`,
    );
  if (showDetails !== 'whenAuthorized' && authorize !== undefined)
    throw optionError(
      'authorize',
      `is only read with showDetails 'whenAuthorized' (showDetails is '${showDetails}')`,
    );
  if (showDetails !== 'whenAuthorized' && options.authorizeTimeoutMs !== undefined)
    throw optionError(
      'authorizeTimeoutMs',
      `is only read with showDetails 'whenAuthorized' (showDetails is '${showDetails}')`,
    );
  const authorizeTimeoutMs =
    options.authorizeTimeoutMs === undefined
      ? AUTHORIZE_TIMEOUT_DEFAULT_MS
      : checkNumber(options.authorizeTimeoutMs, 'authorizeTimeoutMs', { min: 1, max: MAX_TIMER_MS });
  const { require, allowDegraded } = options;
  const reportOptions: HealthOptions = {
    ...(require === undefined ? {} : { require }),
    ...(allowDegraded === undefined ? {} : { allowDegraded }),
  };
  // Failures of authorize() go to the supervisor's `error` event (one of another copy of
  // linkvisor, accepted by shape, may have no reportError).
  const report = (error: LinkvisorError) =>
    (supervisor as { reportError?: (error: LinkvisorError) => void }).reportError?.(error);
  /** authorize(request), or `late` if it has not settled within authorizeTimeoutMs (or the
   * request went away first): its timer never outlives the request. */
  const late = Symbol('late');
  // The supervisor's clock (a simulated one in tests); one of another copy of linkvisor may not say.
  // One whose timer throws cannot bound authorize(): reported once (LV_ERR_LISTENER naming
  // `clock`), never thrown out of a request; from then on every request sees the summary.
  let broken = false;
  const clock = guardedClock(
    (supervisor as { timerClock?: () => Clock }).timerClock?.() ?? systemClock,
    'healthHandler: requests see the summary',
    (error) => {
      broken = true;
      report(error);
    },
  );
  const bounded = (request: IncomingMessage, response: ServerResponse) =>
    new Promise<unknown>((resolve, reject) => {
      const timer = clock.setTimeout(() => resolve(late), authorizeTimeoutMs);
      if (broken) return resolve(late);
      const settle = () => clock.clearTimeout(timer);
      response.once('close', () => {
        settle();
        resolve(late);
      });
      Promise.resolve()
        .then(() => authorize?.(request))
        .then(resolve, reject)
        .finally(settle);
    });
  const detailed = async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    if (showDetails !== 'whenAuthorized') return showDetails === 'always';
    let answer: unknown;
    try {
      answer = await bounded(request, response);
    } catch (thrown) {
      const message = 'healthHandler: authorize() threw: the request sees the summary';
      // It may quote the request's credential: no link's secret, so scrubbed here (the supervisor's
      // error event knows only its links').
      const cause = redactedCause(thrown, (text) => redactText(text, requestSecrets(request)));
      report(new LinkvisorError('LV_ERR_LISTENER', message, { option: 'authorize', cause }));
      return false;
    }
    if (answer === late) {
      if (!response.destroyed && !broken) {
        const message = `healthHandler: authorize() did not settle within ${authorizeTimeoutMs} ms: the request sees the summary`;
        report(new LinkvisorError('LV_ERR_LISTENER', message, { option: 'authorize' }));
      }
      return false;
    }
    if (typeof answer !== 'boolean') {
      report(
        optionError('authorize', `returned ${describe(answer)}, not a boolean: the request sees the summary`),
      );
    }
    return answer === true;
  };
  /** Whether the last request found the status unreadable (reported once until it reads again). */
  let unreadable = false;
  return (request: IncomingMessage, response: ServerResponse): void => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      // A 405 is heuristically cacheable (RFC 9110 §15.1): no-store, as every other answer.
      response.writeHead(405, { allow: 'GET, HEAD', 'cache-control': 'no-store', 'content-length': 0 }).end();
      return;
    }
    void detailed(request, response).then((details) => {
      let status = 500;
      let body = UNREADABLE;
      try {
        const report = healthReport(supervisor, reportOptions);
        body = JSON.stringify(details ? report : healthSummary(report));
        status = report.healthy ? 200 : 503;
        unreadable = false;
      } catch (cause) {
        // A listener that throws would never answer and would end the process (an uncaught
        // exception in the server's `request` event): the status could not be read, say so, to
        // the caller (a 500) and to the application (once per run of such answers: a probe every
        // few seconds must not flood the `error` event).
        if (!unreadable) {
          unreadable = true;
          const message = 'healthHandler: the status could not be read: requests are answered 500';
          report(new LinkvisorError('LV_ERR_LISTENER', message, { cause }));
        }
      }
      if (response.destroyed) return;
      response.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'content-length': Buffer.byteLength(body),
        ...(showDetails === 'whenAuthorized' ? { vary: 'authorization' } : {}),
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    });
  };
}

/** The secrets a health request carries: its auth-like headers' (a bearer token, a cookie's values)
 * and its query values, in every form. */
function requestSecrets(request: IncomingMessage): string[] {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers))
    if (value !== undefined) headers[name] = String(value);
  return [...headerSecrets(headers), ...secretsOf(`http://host${request.url ?? ''}`)];
}
