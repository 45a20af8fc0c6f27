/**
 * The resume options a user may give (a link's `resume`, a server's `resumable(wss, options)`),
 * checked eagerly: a wrong value throws LV_ERR_INVALID_OPTION naming it. Defaults live in
 * machines/policy/resume.ts.
 */
import { RESUME_DEFAULTS, type ResumeOptions } from '../../machines/policy/resume.js';
import { MAX_TIMER_MS } from '../../machines/policy/timeouts.js';
import { describe, isRecord } from '../util/describe.js';
import { optionError } from '../util/errors.js';
import { checkKnownKeys, checkNumber } from '../util/option-checks.js';

export const RESUME_OPTION_KEYS: ReadonlySet<string> = new Set(Object.keys(RESUME_DEFAULTS));

/** The numbers given in `value` (a subset of ResumeOptions), checked; `path` names the option. */
export function checkResumeNumbers(
  value: Record<string, unknown>,
  path: string,
  keys: readonly (keyof ResumeOptions)[] = [...RESUME_OPTION_KEYS] as (keyof ResumeOptions)[],
): Partial<ResumeOptions> {
  const out: Partial<ResumeOptions> = {};
  const at = (key: string) => (path ? `${path}.${key}` : key);
  for (const key of keys) {
    const given = value[key];
    if (given === undefined) continue;
    const timed = key === 'ackDelayMs' || key === 'resumeTimeoutMs';
    // 0 means something only for ackDelayMs (acknowledge each message at once). A replay buffer
    // of 0 bytes keeps nothing (every message overflows it) and a resume phase of 0 ms fails
    // every resume: refused, as 0 messages or an ack every 0 messages are.
    out[key] = checkNumber(given, at(key), {
      min: key === 'ackDelayMs' ? 0 : 1,
      max: timed ? MAX_TIMER_MS : Number.MAX_SAFE_INTEGER,
      integer: !timed,
    });
  }
  return out;
}

/** A link's `resume` option: true (the defaults), false/undefined (off), or numbers. */
export function checkResumeOption(value: unknown, path = 'resume'): Partial<ResumeOptions> | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return {};
  if (!isRecord(value)) throw optionError(path, `must be true, false or an object, got ${describe(value)}`);
  checkKnownKeys(value, RESUME_OPTION_KEYS, path);
  return checkResumeNumbers(value, path);
}
