/**
 * A Node `http` request listener for health checks: 200 with the status JSON when every required
 * link and watcher is ready and the supervisor is not degraded, 503 otherwise. Secrets are already redacted in status().
 *
 *   http.createServer(healthHandler(supervisor, { require: ['link:feed', 'postgres'] }))
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { optionError } from '../util/errors.js';
import type { Supervisor } from './supervisor.js';
import type { SupervisorStatus } from './supervisor-types.js';

/** Which links and watchers a health check requires. */
export interface HealthOptions {
  /** Link ids (`link:feed` or `feed`) and watcher names (`pg` or `watcher:pg`) that must be ready.
   * Default: all of them (and at least one link or watcher must exist). A name that does not exist
   * counts as not ready; a bare name that is both a link's and a watcher's (`feed`) requires both. */
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
  checkHealthOptions(options);
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

/** Refuses options healthReport cannot read, naming the option (LV_ERR_INVALID_OPTION). */
function checkHealthOptions({ require, allowDegraded }: HealthOptions): void {
  if (require !== undefined && (!Array.isArray(require) || require.some((r) => typeof r !== 'string')))
    throw optionError('require', 'must be an array of link ids and watcher names');
  if (allowDegraded !== undefined && typeof allowDegraded !== 'boolean')
    throw optionError('allowDegraded', 'must be a boolean');
}

/**
 * An HTTP request listener for a health endpoint: 200 with the status JSON when every required link
 * and watcher is ready, 503 otherwise (`http.createServer(healthHandler(supervisor))`).
 */
export function healthHandler(supervisor: Supervisor, options: HealthOptions = {}) {
  checkHealthOptions(options);
  return (request: IncomingMessage, response: ServerResponse): void => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const report = healthReport(supervisor, options);
    const body = JSON.stringify(report);
    response.writeHead(report.healthy ? 200 : 503, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(body),
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
}
