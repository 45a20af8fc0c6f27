/**
 * The `resume` option's template check (src/runtime/resume-template.ts, a link feature): refused
 * for an in-process transport (no socket to resume) wherever a link or a supervisor's defaults get
 * it, with LV_ERR_UNSUPPORTED naming `resume`; accepted on a transport with sockets. The drop-in,
 * which offers no resume, neither carries nor needs the check (its options refuse `resume`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSupervisor, type Supervisor } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';
import { closeOnClock } from '../helpers/clock-run.js';

const UNSUPPORTED = expect.objectContaining({
  code: 'LV_ERR_UNSUPPORTED',
  option: 'resume',
  message: expect.stringMatching(/^resume: the \w+ transport is in-process \(no socket to resume\)/),
});

let open: { supervisor: Supervisor; clock: TestClock }[] = [];
afterEach(async () => {
  for (const { supervisor, clock } of open) await closeOnClock(supervisor, clock);
  open = [];
});

function supervisorOn(inProcess: boolean) {
  const clock = new TestClock();
  const net = createMemoryNetwork({ clock, inProcess });
  net.listen('mem://resume');
  const supervisor = createSupervisor({ transport: net.transport, clock, networkSignals: false });
  open.push({ supervisor, clock });
  return supervisor;
}

describe('resume on an in-process transport', () => {
  it('connect() refuses it, as true or as options, naming resume', () => {
    const supervisor = supervisorOn(true);
    expect(() => supervisor.connect('mem://resume', { resume: true })).toThrow(UNSUPPORTED);
    expect(() => supervisor.connect('mem://resume', { resume: { ackDelayMs: 50 } })).toThrow(UNSUPPORTED);
    expect(supervisor.connect('mem://resume', {}).id).toBeTypeOf('string');
  });

  it("createSupervisor() refuses it among the links' defaults at once", () => {
    const clock = new TestClock();
    const net = createMemoryNetwork({ clock, inProcess: true });
    expect(() =>
      createSupervisor({ transport: net.transport, clock, networkSignals: false, resume: true }),
    ).toThrow(UNSUPPORTED);
  });

  it('a transport with sockets takes it', () => {
    const supervisor = supervisorOn(false);
    expect(supervisor.connect('mem://resume', { resume: { ackDelayMs: 50 } }).id).toBeTypeOf('string');
  });
});
