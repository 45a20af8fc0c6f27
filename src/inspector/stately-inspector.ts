/**
 * `createStatelyInspector({ url })`: Stately's inspection protocol (`@statelyai/inspect` 0.7.x,
 * for XState v5; an optional peer dependency) sent over a linkvisor link instead of the package's
 * own WebSocket adapter. Theirs retries with a `setTimeout` that `stop()` cannot cancel (it keeps
 * Node alive and reconnects forever when the receiver is down; see shared FIELD.md); ours is a
 * link: bounded queue while the receiver is away (oldest dropped), jittered reconnects, and
 * `stop()` resolves when nothing is left. Context and events are redacted before they leave.
 *
 *   const stately = await createStatelyInspector({ url: 'ws://127.0.0.1:8080' });
 *   const supervisor = createSupervisor({ inspect: stately.inspect });
 *   …
 *   await supervisor.close();
 *   await stately.stop();
 */
import type { InspectionEvent, Observer } from 'xstate';
import { chartOf } from '../../machines/started-chart.js';
import type { Link } from '../runtime/link.js';
import { createSupervisor } from '../runtime/supervisor.js';
import type { Transport } from '../transports/transport.js';
import { wsTransport } from '../transports/ws-transport.js';
import type { Clock } from '../util/clock.js';
import { describe, isRecord } from '../util/describe.js';
import { optionError } from '../util/errors.js';
import { checkKnownKeys, checkNumber } from '../util/option-checks.js';
import { redactValue } from './redact-value.js';

/** Where `createStatelyInspector` sends inspection events, and how. */
export interface StatelyInspectorOptions {
  /** The receiver's WebSocket URL (e.g. Stately's inspector or `createWebSocketReceiver`'s server). */
  url: string;
  /** Events held while the receiver is away; the oldest are dropped beyond it (default 200). */
  maxDeferredEvents?: number;
  /** Transport of the link (default: ws in Node). */
  transport?: Transport;
  clock?: Clock;
}

/**
 * An inspection observer that feeds a Stately inspector over a linkvisor link; `stop()` resolves
 * when nothing of it is left.
 */
export interface StatelyInspector {
  /** Pass to `createSupervisor({ inspect })` (or combine it with ours: `combineInspectors`). */
  inspect: Observer<InspectionEvent>;
  /** The link to the receiver. */
  link: Link;
  /** Flushes what it can, closes the link; resolves when nothing is left running. */
  stop(): Promise<void>;
}

interface StatelyModule {
  createInspector(
    adapter: { send(event: unknown): void; start?(): void; stop?(): void },
    options?: {
      sanitizeContext?: (context: unknown) => unknown;
      sanitizeEvent?: (event: unknown) => unknown;
      autoStart?: boolean;
    },
  ): { inspect: Observer<InspectionEvent>; stop(): void };
}

/** JSON without cycles (a cut branch becomes "[circular]"); `also` rewrites values first. */
function stringify(value: unknown, also: (v: unknown) => unknown = (v) => v): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, given: unknown) => {
    const v = also(given);
    if (typeof v === 'bigint') return String(v);
    if (v && typeof v === 'object') {
      if (seen.has(v)) return '[circular]';
      seen.add(v);
    }
    return v;
  });
}

/** A snapshot with the user's values (context, output, error) as redacted copies. */
function readableSnapshot(snapshot: unknown): unknown {
  if (!isRecord(snapshot)) return snapshot;
  const copy: Record<string, unknown> = { ...snapshot };
  for (const key of ['context', 'output', 'error'] as const) {
    if (copy[key] !== undefined) copy[key] = redactValue(copy[key]);
  }
  return copy;
}

/** A machine's definition as plain JSON (functions as `{ type: name }`, as Stately writes them),
 * its initial context redacted: Stately sends the definition, and it held the context as given. */
function plainDefinition(config: Record<string, unknown>): unknown {
  const context = typeof config.context === 'object' ? redactValue(config.context) : config.context;
  try {
    const text = stringify({ ...config, context }, (v) =>
      typeof v === 'function' ? { type: (v as { name?: string }).name } : v,
    );
    return JSON.parse(text) as unknown;
  } catch {
    return { id: typeof config.id === 'string' ? config.id : undefined };
  }
}

/**
 * The inspection event Stately's observer may serialise: it copies the actor's definition and
 * its snapshots with safe-stable-stringify in a setTimeout, where a getter that throws in the
 * user's context (or output, or error) was an uncaught exception that took the process down. The
 * user's values are handed over as redacted copies (`[unreadable]` for what cannot be read);
 * XState's own fields (value, status, children) as they are. XState's event is not changed.
 */
function readable(event: InspectionEvent): InspectionEvent {
  if (event.type === '@xstate.snapshot')
    return { ...event, snapshot: readableSnapshot(event.snapshot) } as never;
  if (event.type !== '@xstate.actor') return event;
  const ref = event.actorRef as unknown as Record<string, unknown> & { getSnapshot(): unknown };
  // A started link's chart is its source's (machines/started-chart.ts): Stately draws idle too.
  const logic = chartOf(ref.logic) as { config?: unknown } | undefined;
  const actorRef = {
    id: ref.id,
    sessionId: ref.sessionId,
    _parent: ref._parent,
    getSnapshot: () => readableSnapshot(ref.getSnapshot()),
    logic: isRecord(logic?.config) ? { config: plainDefinition(logic.config) } : undefined,
  };
  return { ...event, actorRef } as never;
}

const STATELY_KEYS: ReadonlySet<string> = new Set(['url', 'maxDeferredEvents', 'transport', 'clock']);

/**
 * Speaks `@statelyai/inspect`'s WebSocket protocol over a linkvisor link (bounded queue while the
 * receiver is away, jittered reconnects, context and events redacted). Needs the optional peer
 * dependency `@statelyai/inspect`. Options that are no object, an unknown key or a wrong value:
 * LV_ERR_INVALID_OPTION / LV_ERR_UNKNOWN_OPTION naming it, at the call.
 */
export async function createStatelyInspector(options: StatelyInspectorOptions): Promise<StatelyInspector> {
  // Before the import: a wrong option is named at the call (null threw a raw TypeError, a misspelt
  // key was dropped silently); `url`, `transport` and `clock` are checked as a link's are, below.
  if (!isRecord(options)) throw optionError('options', `must be an object, got ${describe(options)}`);
  checkKnownKeys(options, STATELY_KEYS, '');
  if (options.maxDeferredEvents !== undefined)
    checkNumber(options.maxDeferredEvents, 'maxDeferredEvents', { integer: true }); // 0: hold none, as queue.maxMessages
  let stately: StatelyModule;
  try {
    stately = (await import('@statelyai/inspect')) as unknown as StatelyModule;
  } catch (error) {
    throw new Error(
      'createStatelyInspector: install the optional peer dependency @statelyai/inspect (0.7.x)',
      {
        cause: error,
      },
    );
  }
  const supervisor = createSupervisor({
    transport: options.transport ?? wsTransport,
    ...(options.clock ? { clock: options.clock } : {}),
    backoff: { initialDelayMs: 500, maxDelayMs: 10_000 },
    queue: { maxMessages: options.maxDeferredEvents ?? 200, overflow: 'drop-oldest' },
    closeTimeoutMs: 1_000,
    lingerMs: 1_000,
  });
  const link = supervisor.connect(options.url, { id: 'stately' });
  let stopped = false;
  let stopping = false;
  const inspector = stately.createInspector(
    {
      send(event) {
        if (stopped) return;
        try {
          link.send(stringify(event));
        } catch {
          // the link is closing: inspection events after stop() are dropped
        }
      },
    },
    {
      sanitizeContext: (context) => redactValue(context),
      sanitizeEvent: (event) => redactValue(event),
    },
  );
  return {
    inspect: {
      next(event) {
        // Stately's observer schedules a setTimeout(0) per event: none once stop() was called.
        if (stopping) return;
        try {
          inspector.inspect.next?.(readable(event));
        } catch {
          // inspection must never break the inspected actor
        }
      },
    },
    link,
    async stop() {
      stopping = true;
      // @statelyai/inspect hands each event over in a setTimeout(0) (Node has no idle callback):
      // let the ones already scheduled reach the queue, then drain it and close.
      await new Promise((resolve) => setTimeout(resolve, 0));
      stopped = true;
      inspector.stop();
      await supervisor.close();
    },
  };
}
