/**
 * The health of a supervisor (`healthReport`): whether every required link and watcher is ready
 * and the supervisor is not degraded, with its status (secrets already redacted by status()).
 * The Node http listener that serves it is health-handler.ts.
 */
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
 * `options`, `require`, `allowDegraded`), LV_ERR_UNKNOWN_OPTION for a key not in `keys`. */
export function checkHealthArguments(
  supervisor: unknown,
  options: unknown,
  keys: ReadonlySet<string> = HEALTH_KEYS,
): void {
  if (typeof (supervisor as { status?: unknown } | null)?.status !== 'function')
    throw optionError('supervisor', `must be a linkvisor Supervisor, got ${describe(supervisor)}`);
  if (!isRecord(options)) throw optionError('options', `must be an object, got ${describe(options)}`);
  checkKnownKeys(options, keys, '');
  const { require, allowDegraded } = options;
  // An empty list (or name) requires nothing that could ever be ready: the endpoint would answer
  // 503 for ever. Leave `require` out to require every link and watcher.
  if (require !== undefined) {
    const list: unknown[] = Array.isArray(require) ? require : [];
    const at = list.findIndex((r) => typeof r !== 'string' || r.trim() === '');
    if (list.length === 0 || at >= 0)
      throw optionError(
        'require',
        `must be a non-empty array of link ids and watcher names, got ${list !== require ? describe(require) : at < 0 ? 'none' : `${describe(list[at])} at [${at}]`}`,
      );
  }
  if (allowDegraded !== undefined && typeof allowDegraded !== 'boolean')
    throw optionError('allowDegraded', `must be a boolean, got ${describe(allowDegraded)}`);
}
