/**
 * A backoff function that throws is reported as a throw: LV_ERR_INVALID_DELAY `backoff(1) threw`,
 * its error the `cause`, and the policy's delay is used. It was reported as a value it returned
 * (`backoff(1) returned object`), the error dropped. Memory transport, simulated clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSupervisor, type LinkvisorError, type Supervisor } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';
import { closeOnClock, runClock } from '../helpers/clock-run.js';

const opened: { supervisor: Supervisor; clock: TestClock }[] = [];

afterEach(async () => {
  for (const { supervisor, clock } of opened.splice(0)) {
    await closeOnClock(supervisor, clock);
    expect(clock.pending).toBe(0);
  }
});

describe('a backoff function that throws', () => {
  it('is reported as a throw (not as a value it returned), its error the cause', async () => {
    const clock = new TestClock();
    const network = createMemoryNetwork({ clock });
    const boom = new Error('boom');
    const supervisor = createSupervisor({ transport: network.transport, clock, seed: 2, heartbeat: false });
    opened.push({ supervisor, clock });
    const link = supervisor.connect('mem://nowhere', {
      backoff: () => {
        throw boom;
      },
    });
    const errors: LinkvisorError[] = [];
    link.on('error', (error) => errors.push(error));
    await runClock(clock, 100, () => errors.length > 0, 10);
    expect(link.state).toBe('reconnecting');
    expect(errors[0]?.code).toBe('LV_ERR_INVALID_DELAY');
    expect(errors[0]?.message).toMatch(/^backoff\(1\) threw; used the policy delay of \d+ ms instead$/);
    // A redacted copy (docs/errors.md, "What `cause` is"), never the thrown value itself.
    expect(errors[0]?.cause).toBeInstanceOf(Error);
    expect(errors[0]?.cause).not.toBe(boom);
    expect((errors[0]?.cause as Error | undefined)?.message).toBe(boom.message);
  });
});
