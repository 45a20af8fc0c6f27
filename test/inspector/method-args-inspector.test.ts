/**
 * The inspector collector's methods given hostile arguments: refused at the call
 * (LV_ERR_INVALID_OPTION naming the argument) and the collector keeps working. Before (round 26):
 * `attach(actor)` with anything but an actor threw a raw TypeError from the walk to its root
 * ("Cannot read properties of null (reading 'system')", "root.getSnapshot is not a function");
 * `subscribe(listener)` with a listener that is no function was taken and its every call failed
 * silently (the collector keeps a listener's failure from the inspected actor), so the caller saw
 * nothing and heard nothing; `get(id)`, `recordsOf(id)` and `actorRef(id)` with a number,
 * undefined or a symbol found nothing, silently. Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import { createInspector } from '../../src/inspector/create-inspector.js';
import { FAST, useHarness } from '../helpers/harness.js';

const refused = (option: string) =>
  expect.objectContaining({ name: 'LinkvisorError', code: 'LV_ERR_INVALID_OPTION', option });

const throwingProxy = new Proxy(
  {},
  {
    get() {
      throw new Error('proxy');
    },
  },
);
const NOT_ACTORS: unknown[] = [
  undefined,
  null,
  5,
  'link:1',
  Symbol('a'),
  Object.freeze({}),
  { getSnapshot() {} },
  { getSnapshot() {}, system: {} },
  [],
];
const NOT_FUNCTIONS: unknown[] = [undefined, null, 5, 'render', Symbol('l'), { next() {} }];
const NOT_STRINGS: unknown[] = [undefined, null, 1, Number.NaN, Symbol('id'), throwingProxy, ['link:1']];

describe('inspector collector: hostile method arguments', () => {
  const h = useHarness();

  it('attach(actor): anything but an XState actor is refused naming actor', () => {
    const inspector = createInspector();
    for (const bad of NOT_ACTORS) expect(() => inspector.attach(bad as never)).toThrow(refused('actor'));
    expect(inspector.attachedSystems()).toBe(0);
  });

  it('subscribe(listener): a listener that is no function is refused naming listener', () => {
    const inspector = createInspector();
    for (const bad of NOT_FUNCTIONS)
      expect(() => inspector.subscribe(bad as never)).toThrow(refused('listener'));
  });

  it('get, recordsOf, actorRef: an id that is no string is refused naming id', () => {
    const inspector = createInspector();
    for (const bad of NOT_STRINGS) {
      expect(() => inspector.get(bad as never)).toThrow(refused('id'));
      expect(() => inspector.recordsOf(bad as never)).toThrow(refused('id'));
      expect(() => inspector.actorRef(bad as never)).toThrow(refused('id'));
    }
  });

  it('after every refusal the collector works: a late attach sees the link, a listener hears it', async () => {
    const server = await h.wsServer();
    const inspector = createInspector();
    h.defer(() => inspector.dispose());
    for (const bad of NOT_ACTORS) expect(() => inspector.attach(bad as never)).toThrow();
    for (const bad of NOT_FUNCTIONS) expect(() => inspector.subscribe(bad as never)).toThrow();
    // Still works: a late attach sees the link, a listener hears about it.
    const updates: string[] = [];
    inspector.subscribe((update) => updates.push(update.type));
    const supervisor = h.supervisor({ ...FAST, networkSignals: false });
    const link = supervisor.connect(server.url, { id: 'seen' });
    inspector.attach(link.actor);
    await link.ready();
    expect(inspector.get('link:seen')?.id).toBe('link:seen');
    expect(inspector.recordsOf('link:seen').length).toBeGreaterThan(0);
    expect(inspector.actorRef('link:seen')).toBe(link.actor);
    expect(updates.length).toBeGreaterThan(0);
  });
});
