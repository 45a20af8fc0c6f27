/**
 * Review of the round-26 keys merge (unknown event names / option keys refused): what it broke.
 * - `link.close(event)` with a close event (the drop-in's own CloseEvent, a DOM-style Event
 *   subclass: objects that carry `wasClean`, `status`, `detail`, `isTrusted` by design) closed with
 *   the event's code and reason before the merge, and threw LV_ERR_UNKNOWN_OPTION naming `wasClean`
 *   after it; `ready(options)` likewise for an object of a class. A literal (a plain object, where a
 *   typo is made) is still checked: `{ code, reason, wasClean }` and `{ signal, method }` are
 *   refused naming the extra key (pinned).
 * - `on(event)` quoted the refused name in full: a token given as an event name (a variable mixed
 *   up) was in the message. A name at most two edits from a known one is still shown, with its
 *   hint (it holds nothing of a secret).
 * - Not from the merge, found beside it: `ready(AbortSignal.timeout(5000))` (the signal itself as the
 *   options) was read as options without `signal` and waited on forever; now LV_ERR_INVALID_OPTION.
 * - Not broken, pinned: every event the connection chart emits (relayed by name) is in LINK_EVENTS.
 * Real `ws` servers on 127.0.0.1 port 0; nothing left after (the harness).
 */
import { describe, expect, it } from 'vitest';
import type { ConnectionEmitted } from '../../machines/connection-types.js';
import { CloseEvent } from '../../src/dropin/ws-events.js';
import type { LinkEvents } from '../../src/runtime/link-events.js';
import { LINK_EVENTS } from '../../src/runtime/link-events.js';
import type { EventName } from '../../src/util/emitter.js';
import { useHarness } from '../helpers/harness.js';
import { thrown } from '../helpers/thrown.js';
import { waitFor } from '../helpers/wait.js';

/** Every event the connection chart emits (the link relays them by name, typed only through
 * LinkEvents' index signature) is a declared LinkEvents name: tsc fails here otherwise. */
const RELAYED: EventName<LinkEvents>[] = [] as ConnectionEmitted['type'][];

it("every event the chart emits is in the link's list (subscribable)", () => {
  const chart: Record<ConnectionEmitted['type'], 0> = {
    ready: 0,
    reconnecting: 0,
    lost: 0,
    escalated: 0,
    failed: 0,
    closed: 0,
    resumed: 0,
    reset: 0,
  };
  for (const name of Object.keys(chart)) expect(LINK_EVENTS).toContain(name);
  expect(RELAYED).toEqual([]);
});

describe('close(options) / ready(options): an object of a class is read for its keys alone', () => {
  const h = useHarness();

  it("close(closeEvent): the drop-in's CloseEvent closes the link with its code and reason", async () => {
    const server = await h.wsServer();
    const closes: { code: number; reason: string }[] = [];
    server.wss.on('connection', (ws) =>
      ws.on('close', (code, reason) => closes.push({ code, reason: reason.toString() })),
    );
    const link = h.supervisor().connect(server.url);
    await link.ready();
    const event = new CloseEvent({
      code: 4001,
      reason: 'upstream gone',
      wasClean: true,
      detail: { kind: 'close', code: 4001, message: 'upstream gone' },
    });
    await link.close(event);
    await waitFor(() => closes.length === 1, { message: 'the close frame' });
    expect(closes[0]).toEqual({ code: 4001, reason: 'upstream gone' });
  });

  it('close(event) and ready(options) of any class: extra own keys are not typos', async () => {
    const server = await h.wsServer();
    const link = h.supervisor().connect(server.url);
    class Init {
      signal: AbortSignal | null = null;
      timeoutMs = 5_000;
    }
    await link.ready(new Init());
    class PeerClosed extends Event {
      code = 4002;
      reason = 'bye';
      wasClean = true;
      constructor() {
        super('close');
      }
    }
    await link.close(new PeerClosed());
    expect(link.state).toBe('closed');
  });

  it('a literal is still checked: { code, reason, wasClean } and { signal, method } name the extra key', async () => {
    const server = await h.wsServer();
    const link = h.supervisor().connect(server.url);
    const r = thrown(() => link.ready({ signal: null, method: 'GET' } as never));
    expect([r.code, r.option]).toEqual(['LV_ERR_UNKNOWN_OPTION', 'method']);
    await link.ready({ ...Object.create(null), signal: null });
    const c = thrown(() => link.close({ code: 4000, reason: '', wasClean: true } as never));
    expect([c.code, c.option]).toEqual(['LV_ERR_UNKNOWN_OPTION', 'wasClean']);
    const bare = Object.assign(Object.create(null) as object, { cod: 4000 });
    expect(thrown(() => link.close(bare as never)).option).toBe('cod');
    expect(link.state).toBe('ready');
    await link.close({ code: 4000 });
  });
});

describe('ready(signal): a signal given as the options is refused, not ignored', () => {
  const h = useHarness();

  it('ready(AbortSignal.timeout()) throws LV_ERR_INVALID_OPTION naming `options` (it waited on with no signal)', async () => {
    const server = await h.wsServer();
    const link = h.supervisor().connect(server.url);
    for (const signal of [AbortSignal.timeout(60_000), new AbortController().signal]) {
      const error = thrown(() => link.ready(signal as never));
      expect([error.code, error.option]).toEqual(['LV_ERR_INVALID_OPTION', 'options']);
      expect(error.message).toContain('must be an object as { signal }');
    }
    await link.ready({ signal: AbortSignal.timeout(60_000) });
  });
});

describe('on(event): the refused name is never quoted, unless it is a near miss of a known one', () => {
  const h = useHarness();
  const SECRETS = [
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    'Bearer abcdefghijklmnop1234',
    'QWxhZGRpbjpvcGVuIHNlc2FtZQ0123456789abcde',
    'wss://user:hunter2@example.org/feed',
    'sk_live_4eC39HqLyjWDarjt',
  ];

  it('a token given as an event name is in no message, String() or JSON of the error', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor();
    const link = supervisor.connect(server.url);
    for (const secret of SECRETS) {
      for (const call of [
        () => link.on(secret, () => {}),
        () => link.off(secret, () => {}),
        () => supervisor.on(secret as never, () => {}),
      ]) {
        const error = thrown(call);
        expect(error.code).toBe('LV_ERR_UNKNOWN_OPTION');
        expect(error.option).toBe('event');
        const shown = `${error.message} ${String(error)} ${JSON.stringify(error)} ${String(error.cause)}`;
        for (const part of [secret, 'hunter2', 'abcdefghijklmnop', 'sk_live', encodeURIComponent(secret)])
          expect(shown).not.toContain(part);
        expect(error.message).toContain('event: unknown event; known: ');
      }
    }
    const typo = thrown(() => link.on('mesage', () => {}));
    expect(typo.message).toContain("unknown event 'mesage' (did you mean 'message'?)");
    await link.ready();
  });
});
