/**
 * `healthSummary(report)` given anything but a health report: refused at the call with
 * LV_ERR_INVALID_OPTION naming `report`. Before (round 26): a raw TypeError from inside ("Cannot
 * read properties of undefined (reading 'length')", "… of null (reading 'healthy')"). A real
 * report (`healthReport(supervisor)`, a link ready on a real `ws` server on loopback) is summed up
 * as documented, and `healthReport`'s own arguments stay refused naming them (pinned).
 */
import { describe, expect, it } from 'vitest';
import { healthReport, healthSummary } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';

const refused = (option: string, code = 'LV_ERR_INVALID_OPTION') =>
  expect.objectContaining({ name: 'LinkvisorError', code, option });

const NOT_REPORTS: unknown[] = [
  undefined,
  null,
  42,
  Number.NaN,
  'healthy',
  true,
  Symbol('r'),
  Object.freeze({}),
  [],
  { healthy: true },
  { healthy: true, links: [], watchers: [] },
  { healthy: true, links: 'all', watchers: [], failing: [] },
];

describe('healthSummary / healthReport: hostile arguments', () => {
  const h = useHarness();

  it('healthSummary: anything but a health report is refused naming report', () => {
    for (const bad of NOT_REPORTS) expect(() => healthSummary(bad as never)).toThrow(refused('report'));
  });

  it('a real report is summed up; healthReport refuses its own wrong arguments naming them', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    await supervisor.connect(server.url, { id: 'feed' }).ready();
    expect(healthSummary(healthReport(supervisor))).toEqual({
      healthy: true,
      closed: false,
      degraded: false,
      links: { total: 1, ready: 1 },
      watchers: { total: 0, ready: 0 },
      failing: 0,
    });
    expect(healthSummary(healthReport(supervisor, { require: ['nope'] })).failing).toBe(1);
    expect(() => healthReport(null as never)).toThrow(refused('supervisor'));
    expect(() => healthReport(supervisor, null as never)).toThrow(refused('options'));
    expect(() => healthReport(supervisor, { requires: ['feed'] } as never)).toThrow(
      refused('requires', 'LV_ERR_UNKNOWN_OPTION'),
    );
    expect(() => healthReport(supervisor, { require: [] })).toThrow(refused('require'));
    expect(() => healthReport(supervisor, { allowDegraded: 'yes' } as never)).toThrow(
      refused('allowDegraded'),
    );
  });
});
