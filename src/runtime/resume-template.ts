/**
 * A link template's `resume` option (./link-template.ts), a link feature (./link-features.ts): the
 * option over the resume policy's defaults (machines/policy/resume.ts), refused for an in-process
 * transport (no socket to resume). Only the makers that offer resume reach it, so the drop-in's
 * bundle carries neither the merge nor the refusal (BENCHMARKS.md round 45 (bundle)).
 */
import { RESUME_DEFAULTS, type ResumeOptions } from '../../machines/policy/resume.js';
import type { Transport } from '../transports/transport.js';
import { LinkvisorError } from '../util/errors.js';
import type { LinkOptions } from './options.js';

/** The resume options of a link with `resume` set (true, or some options), on `transport`: the
 * defaults with the given ones over them; LV_ERR_UNSUPPORTED naming `resume` for an in-process
 * transport. */
export function resumeTemplate(
  resume: NonNullable<LinkOptions['resume']>,
  transport: Pick<Transport, 'inProcess' | 'name'>,
): ResumeOptions {
  if (transport.inProcess) {
    throw new LinkvisorError(
      'LV_ERR_UNSUPPORTED',
      `resume: the ${transport.name} transport is in-process (no socket to resume); use a WebSocket transport`,
      { option: 'resume' },
    );
  }
  return { ...RESUME_DEFAULTS, ...(resume === true ? {} : resume) };
}
