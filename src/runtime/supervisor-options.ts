/**
 * The checks of `createSupervisor(options)` and of `connectGroup(urls, options)`, made eagerly:
 * every error names the option (LV_ERR_INVALID_OPTION), and the link options among them are
 * checked as `connect()`'s are (./options.ts, and ./link-template.ts's `checkTemplateOptions`).
 */

import type { InspectionEvent, Observer } from 'xstate';
import { GROUP_STRATEGIES, GROUP_STRATEGY_DEFAULT } from '../../machines/policy/group.js';
import { MAX_TIMER_MS } from '../../machines/policy/timeouts.js';
import type { Transport } from '../transports/transport.js';
import { describe, isRecord } from '../util/describe.js';
import { optionError } from '../util/errors.js';
import { checkClock, shownChoice } from '../util/option-checks.js';
import { LINK_FEATURES } from './link-features.js';
import { checkTemplateOptions, type UrlInput } from './link-template.js';
import {
  checkKnownKeys,
  checkLinkOptions,
  checkNumber,
  LINK_OPTION_KEYS,
  type LinkOptions,
} from './options.js';
import type { GroupOptions, SupervisorOptions } from './supervisor-types.js';

/** The supervisor's own options, beside the link options it takes as defaults (docs/links.md). */
export const SUPERVISOR_KEYS: ReadonlySet<string> = new Set([
  'transport',
  'clock',
  'inspect',
  'seed',
  'lingerMs',
  'degradedShare',
  'networkSignals',
]);

/** A group's options: its strategy and the options its links share (docs/supervisor.md). */
const GROUP_OPTION_KEYS: ReadonlySet<string> = new Set(['strategy', ...LINK_OPTION_KEYS]);

/** Throws LV_ERR_INVALID_OPTION naming `path` unless `value` is a transport: `connect()` and
 * `schemes` (a list of URL schemes), a `watchNetwork` only as a function. */
export function checkTransport(value: unknown, path: string): void {
  const t = value as Partial<Record<keyof Transport, unknown>> | null;
  const schemes = t?.schemes;
  if (
    typeof t !== 'object' ||
    t === null ||
    typeof t.connect !== 'function' ||
    !Array.isArray(schemes) ||
    !schemes.every((scheme) => typeof scheme === 'string')
  )
    throw optionError(path, `must be a transport (connect() and schemes), got ${describe(value)}`);
  if (t.watchNetwork !== undefined && typeof t.watchNetwork !== 'function')
    throw optionError(`${path}.watchNetwork`, `must be a function, got ${describe(t.watchNetwork)}`);
}

/** An XState inspection observer (the `inspect` option, `observe(observer)`): a function, taken as
 * `{ next }` (each system made later calls `next`), or an object whose `next`, if any, is one;
 * else LV_ERR_INVALID_OPTION naming `path` (or `path.next`). */
export function checkObserver(value: unknown, path: string): Observer<InspectionEvent> {
  if (typeof value === 'function') return { next: value as (event: InspectionEvent) => void };
  if (!isRecord(value)) throw optionError(path, `must be a function or an observer, got ${describe(value)}`);
  let next: unknown;
  try {
    next = value.next;
  } catch {
    throw optionError(`${path}.next`, 'cannot be read');
  }
  if (next !== undefined && typeof next !== 'function')
    throw optionError(`${path}.next`, `must be a function, got ${describe(next)}`);
  return value;
}

/**
 * Checks the supervisor's own options and returns its defaults for every link, checked as
 * `connect()` checks a link's options, URL aside: against the supervisor's transport (`transport`,
 * else `defaultTransport`), and its per-attempt options given as values.
 */
export function checkSupervisorOptions(options: SupervisorOptions, defaultTransport: Transport): LinkOptions {
  const raw: unknown = options;
  if (!isRecord(raw)) throw optionError('options', 'must be an object');
  if ('id' in raw) throw optionError('id', 'is per link: pass it to connect()');
  checkKnownKeys(raw, new Set([...SUPERVISOR_KEYS, ...LINK_OPTION_KEYS]), '');
  const { transport, clock, inspect, seed, lingerMs, degradedShare, networkSignals, ...linkDefaults } =
    options;
  if (clock !== undefined) checkClock(clock, 'clock');
  if (transport !== undefined) checkTransport(transport, 'transport');
  if (inspect !== undefined) checkObserver(inspect, 'inspect');
  if (networkSignals !== undefined && typeof networkSignals !== 'boolean')
    throw optionError('networkSignals', `must be a boolean, got ${describe(networkSignals)}`);
  if (seed !== undefined) checkNumber(seed, 'seed', { min: -(2 ** 53), integer: true });
  if (lingerMs !== undefined) checkNumber(lingerMs, 'lingerMs', { min: 0, max: MAX_TIMER_MS });
  if (degradedShare !== undefined) {
    checkNumber(degradedShare, 'degradedShare', { max: 1 });
    if (degradedShare >= 1) throw optionError('degradedShare', `must be below 1, got ${degradedShare}`);
  }
  const defaults = checkLinkOptions(linkDefaults);
  checkTemplateOptions(defaults, { transport: transport ?? defaultTransport, ...LINK_FEATURES });
  return defaults;
}

/** A group's URLs and options, checked: its strategy, its id (required, without '/') and the
 * options its links share. */
export function checkGroupOptions(urls: readonly UrlInput[], options: GroupOptions) {
  if (!Array.isArray(urls) || urls.length === 0) throw optionError('urls', 'must be a non-empty array');
  const raw: unknown = options;
  if (!isRecord(raw)) throw optionError('options', 'must be an object');
  // A misspelt `strategy` gets its hint, and the known names list it, as any other option's.
  checkKnownKeys(raw, GROUP_OPTION_KEYS, '');
  const { strategy = GROUP_STRATEGY_DEFAULT, ...linkOptions } = options;
  if (!GROUP_STRATEGIES.includes(strategy)) {
    throw optionError(
      'strategy',
      `must be ${GROUP_STRATEGIES.map((s) => `'${s}'`).join(', ')}, got ${shownChoice(strategy, GROUP_STRATEGIES)}`,
    );
  }
  const own: LinkOptions = checkLinkOptions(linkOptions);
  const id = own.id;
  if (!id || id.includes('/')) throw optionError('id', "is required for a group and may not contain '/'");
  return { strategy, own, id };
}
