/**
 * A Node `http` request listener for health checks: 200 with the status JSON when every required
 * link and watcher is ready and the supervisor is not degraded, 503 otherwise. Secrets are already redacted in status().
 *
 *   http.createServer(healthHandler(supervisor, { require: ['link:feed', 'postgres'] }))
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, isRecord } from '../util/describe.js';
import { optionError } from '../util/errors.js';
import { checkKnownKeys } from '../util/option-checks.js';
import type { Supervisor } from './supervisor.js';
import type { SupervisorStatus } from './supervisor-types.js';

/** Which links and watchers a health check requires. */
export interface HealthOptions {
  /** Link ids (`link:feed` or `feed`) and watcher names (`pg` or `watcher:pg`) that must be ready.
   * Default: all of them (and at least one link or watcher must exist). A name that does not exist
   * counts as not ready; a bare name that is both a link's and a watcher's (`feed`) requires both.
   * When given, it names at least one (an empty list could never be healthy: it throws). */
  require?: readonly string[];
  /** Report healthy while the supervisor is `degraded` (more than `degradedShare` of its links
   * escalated by restart intensity). Default false: a degraded service answers 503. */
  allowDegraded?: boolean;
}

/**
 * The supervisor's status, with whether every required link and watcher is ready and which are not.
 */
export interface HealthReport extends SupervisorStatus {
  healthy: boolean;
  /** Required names that are not ready (or do not exist). */
  failing: string[];
}

/**
 * The health of a supervisor now: its status, `healthy`, and the required names that are `failing`.
 */
export function healthReport(supervisor: Supervisor, options: HealthOptions = {}): HealthReport {
  checkHealthArguments(supervisor, options);
  const status = supervisor.status();
  // A name may name several (a link `link:feed` and a watcher `feed` are both `feed`): each must
  // be ready, so one never stands in for another.
  const named = new Map<string, boolean[]>();
  const add = (name: string, ready: boolean) => {
    const list = named.get(name);
    if (list) list.push(ready);
    else named.set(name, [ready]);
  };
  for (const link of status.links) {
    add(link.id, link.ready);
    add(link.id.replace(/^link:/, ''), link.ready);
  }
  for (const watcher of status.watchers) {
    add(watcher.name, watcher.ready);
    add(`watcher:${watcher.name}`, watcher.ready);
  }
  const required = options.require ?? [
    ...status.links.map((l) => l.id),
    ...status.watchers.map((w) => w.name),
  ];
  const failing = required.filter((name) => named.get(name)?.every((ready) => ready) !== true);
  const healthy =
    !status.closed &&
    required.length > 0 &&
    failing.length === 0 &&
    (!status.degraded || options.allowDegraded === true);
  return { ...status, healthy, failing };
}

const HEALTH_KEYS: ReadonlySet<string> = new Set(['require', 'allowDegraded']);

/** Refuses what healthReport cannot read, naming it: LV_ERR_INVALID_OPTION (`supervisor`,
 * `options`, `require`, `allowDegraded`), LV_ERR_UNKNOWN_OPTION for a misspelt key. */
function checkHealthArguments(supervisor: unknown, options: unknown): void {
  if (typeof (supervisor as { status?: unknown } | null)?.status !== 'function')
    throw optionError('supervisor', `must be a linkvisor Supervisor, got ${describe(supervisor)}`);
  if (!isRecord(options)) throw optionError('options', `must be an object, got ${describe(options)}`);
  checkKnownKeys(options, HEALTH_KEYS, '');
  const { require, allowDegraded } = options;
  // An empty list (or name) requires nothing that could ever be ready: the endpoint would answer
  // 503 for ever. Leave `require` out to require every link and watcher.
  if (
    require !== undefined &&
    (!Array.isArray(require) ||
      require.length === 0 ||
      require.some((r) => typeof r !== 'string' || r.trim() === ''))
  )
    throw optionError('require', 'must be a non-empty array of link ids and watcher names');
  if (allowDegraded !== undefined && typeof allowDegraded !== 'boolean')
    throw optionError('allowDegraded', 'must be a boolean');
}

/** The body of a 500: the status could not be read (the error itself may hold a secret). */
const UNREADABLE = JSON.stringify({ healthy: false, error: 'the status could not be read' });

/**
 * An HTTP request listener for a health endpoint: 200 with the status JSON when every required link
 * and watcher is ready, 503 otherwise (`http.createServer(healthHandler(supervisor))`).
 */
export function healthHandler(supervisor: Supervisor, options: HealthOptions = {}) {
  checkHealthArguments(supervisor, options);
  return (request: IncomingMessage, response: ServerResponse): void => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let status = 500;
    let body = UNREADABLE;
    try {
      const report = healthReport(supervisor, options);
      body = JSON.stringify(report);
      status = report.healthy ? 200 : 503;
    } catch {
      // A listener that throws would never answer and would end the process (an uncaught
      // exception in the server's `request` event): the status could not be read, say so.
    }
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(body),
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
}
