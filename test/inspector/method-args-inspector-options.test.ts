/**
 * linkvisor/inspector's factories given hostile arguments: refused at the call with
 * LV_ERR_INVALID_OPTION / LV_ERR_UNKNOWN_OPTION naming the argument. Before (round 26):
 * - `createInspector(options)` checked nothing: null threw a raw TypeError, a misspelt bound
 *   (`maxRecord`) was dropped silently, a negative or NaN bound and a `now` that is no function
 *   were taken (every inspection event then failed inside the collector, silently);
 * - `combineInspectors(…observers)` took a number or `{ next: 5 }`, and every event handed to it
 *   failed silently (null and false are "none", skipped as undefined is);
 * - `createStatelyInspector(options)` threw a raw TypeError for null and dropped a misspelt key.
 * What is right keeps working (pinned beside each). Real `ws` server on loopback for Stately's.
 */
import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { combineInspectors, createInspector, createStatelyInspector } from '../../src/inspector/index.js';
import { FAST, useHarness } from '../helpers/harness.js';

const refused = (option: string, code = 'LV_ERR_INVALID_OPTION') =>
  expect.objectContaining({ name: 'LinkvisorError', code, option });

describe('linkvisor/inspector factories: hostile arguments', () => {
  const h = useHarness();

  it('createInspector: options, bounds and now of the wrong kind are refused naming them', () => {
    const bad: [unknown, string, string?][] = [
      [null, 'options'],
      [5, 'options'],
      ['big', 'options'],
      [{ maxRecord: 10 }, 'maxRecord', 'LV_ERR_UNKNOWN_OPTION'],
      [{ maxRecords: -1 }, 'maxRecords'],
      [{ maxRecords: Number.NaN }, 'maxRecords'],
      [{ maxRecordsPerActor: 2.5 }, 'maxRecordsPerActor'],
      [{ maxRecordsPerActor: Number.NEGATIVE_INFINITY }, 'maxRecordsPerActor'],
      [{ maxEndedActors: '20' }, 'maxEndedActors'],
      [{ now: 5 }, 'now'],
    ];
    for (const [options, option, code] of bad) {
      expect(() => createInspector(options as never), JSON.stringify(options)).toThrow(refused(option, code));
    }
    for (const options of [
      undefined,
      {},
      Object.freeze({ maxRecords: 0, maxEndedActors: 0, now: () => 1 }),
      { maxRecordsPerActor: Number.POSITIVE_INFINITY },
    ]) {
      createInspector(options).dispose();
    }
  });

  it('combineInspectors: an observer that is none is refused naming it; undefined, null and false are skipped', () => {
    const seen: string[] = [];
    for (const [given, option] of [
      [true, 'observers[0]'],
      [5, 'observers[0]'],
      ['log', 'observers[0]'],
      [{ next: 5 }, 'observers[0].next'],
    ] as const) {
      expect(() => combineInspectors(given as never), String(given)).toThrow(refused(option));
    }
    expect(() => combineInspectors(undefined, () => {}, 0 as never)).toThrow(refused('observers[2]'));
    // "none" as applications write it: `debug && observer`, `observer ?? null`.
    const combined = combineInspectors(
      undefined,
      null,
      false,
      (event) => seen.push(`fn:${event.type}`),
      { next: (event: InspectionEvent) => seen.push(`obj:${event.type}`) },
      {},
    );
    combined.next?.({ type: '@xstate.event' } as InspectionEvent);
    expect(seen).toEqual(['fn:@xstate.event', 'obj:@xstate.event']);
  });

  it('createStatelyInspector: options of the wrong kind refused at the call; right ones leave nothing', async () => {
    for (const [options, option, code] of [
      [null, 'options'],
      ['ws://127.0.0.1:1', 'options'],
      [{ url: 'ws://127.0.0.1:1', maxDeferedEvents: 5 }, 'maxDeferedEvents', 'LV_ERR_UNKNOWN_OPTION'],
      [{ url: 'ws://127.0.0.1:1', maxDeferredEvents: -1 }, 'maxDeferredEvents'],
      [{ url: 'ws://127.0.0.1:1', maxDeferredEvents: Number.NaN }, 'maxDeferredEvents'],
    ] as const) {
      await expect(createStatelyInspector(options as never), JSON.stringify(options)).rejects.toThrow(
        refused(option, code),
      );
    }
    const server = await h.wsServer();
    const stately = await createStatelyInspector({ url: server.url, maxDeferredEvents: 10 });
    await stately.link.ready();
    const supervisor = h.supervisor({ ...FAST, networkSignals: false, inspect: stately.inspect });
    await supervisor.connect(server.url).ready();
    await supervisor.close();
    await stately.stop();
  });
});
