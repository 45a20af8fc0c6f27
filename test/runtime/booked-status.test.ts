/**
 * status() of links booked and not started yet (src/runtime/link.ts): they are `idle`, as their
 * chart starts, and reading them starts nothing (a health check polled during a mass open would
 * otherwise start every booked link in one synchronous run). Structural assertions, no timing.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor, healthReport } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';
import { waitFor } from '../helpers/wait.js';

describe('status() of booked links', () => {
  it('a supervisor status() and a health report start no booked link; the links open after', async () => {
    const network = createMemoryNetwork();
    network.listen('mem://svc?token=SECRET-1');
    const supervisor = createSupervisor({ transport: network.transport });
    const links = Array.from({ length: 200 }, () => supervisor.connect('mem://svc?token=SECRET-1'));
    const status = supervisor.status();
    const report = healthReport(supervisor);
    expect(links.filter((link) => link.attached)).toHaveLength(0);
    expect(status.links).toHaveLength(200);
    expect(status.links.every((link) => link.state === 'idle' && !link.ready)).toBe(true);
    expect(report.healthy).toBe(false);
    expect(report.failing).toHaveLength(200);
    expect(JSON.stringify(status)).not.toContain('SECRET-');
    await waitFor(() => links.every((link) => link.state === 'ready'), { message: 'all ready' });
    await supervisor.close();
  });

  it("a booked link's status is what its started chart shows in idle", async () => {
    const clock = new TestClock();
    const network = createMemoryNetwork({ clock });
    const supervisor = createSupervisor({ transport: network.transport, clock });
    const link = supervisor.connect('mem://svc/path?token=SECRET', { autoConnect: false });
    const booked = link.status();
    expect(link.attached).toBe(false);
    await waitFor(() => link.attached, { message: 'started' });
    const started = link.status();
    expect(started.state).toBe('idle');
    expect({ ...booked, lastChange: null }).toEqual({ ...started, lastChange: null });
    expect(booked.url).toBe('mem://svc/path?token=[redacted]');
    await supervisor.close();
  });
});
