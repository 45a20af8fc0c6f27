/**
 * Re-runs a trace's inputs against the real runtime: a supervisor on a memory network and a
 * simulated clock. Each link gets its own memory server that holds every connection attempt,
 * ping and close handshake, so nothing happens on the network unless a recorded input says so:
 *
 *   command (socket)   peer.add → connect() for each of its links, started as one slice (one
 *                      peer.add again), peer.remove → link.close(), reconnect.* →
 *                      setReconnect(), network.offline/online/wake → signal(), socket.close/
 *                      terminate → close()/terminate(), group.add / group.remove → sent to
 *                      the socket (the group's strategy and size; the group ended)
 *   command (link)     sent to the link actor as recorded (link.reconnect, heartbeat.overdue…);
 *                      link.restart is not: the replayed socket restarts a group's members itself
 *   child (transport)  (./replay-transport-input.ts) transport.opening → resolve the held
 *                      per-attempt URL (./replay-resolve.ts); transport.open → accept the held
 *                      attempt; transport.closed → end the attempt, the connection or a held
 *                      close handshake with the recorded reason (LV_ERR_RESOLVE/INVALID_URL: fail
 *                      the held resolve);
 *                      heartbeat.pong → answer a held ping (or inbound activity);
 *                      handshake.ok/failed → settle the replay's handshake; resume.done →
 *                      the welcome (and seq) of the recorded outcome, answering the link's
 *                      hello; resume.failed and resume.unacked → reported as the transport's
 *   timer              advance the clock until that actor's scheduled `xstate.after.*` fires
 *
 * Other inputs happen at their recorded time (`atMs`), but never after a timer that is due first.
 *
 * `apply()` returns null when the input was applied, or why it could not be.
 */
import type { AnyActorRef } from 'xstate';
import type { Reason } from '../../machines/policy/close-reason.js';
import { checkLinkOptions, type LinkOptions } from '../runtime/options.js';
import { createSupervisor, type Supervisor } from '../runtime/supervisor.js';
import type { NetworkSignal } from '../runtime/supervisor-types.js';
import { listIn } from '../trace/list-in.js';
import { recordSession } from '../trace/record-session.js';
import type { TraceEventRecord, TraceHeader, TraceJson, TraceRecord } from '../trace/trace-format.js';
import type { TraceRecorder } from '../trace/trace-recorder.js';
import {
  createMemoryNetwork,
  type MemoryNetwork,
  type MemoryServer,
} from '../transports/memory-transport.js';
import { LinkvisorError, optionError } from '../util/errors.js';
import { failingInConnect } from './failing-in-connect.js';
import { asRecord, replayLinkOptions } from './replay-link-options.js';
import { heldParts } from './replay-resolve.js';
import type { StartRefusal, StartRefusals } from './replay-start-refusals.js';
import { type ReplayLink, replayTransportInput } from './replay-transport-input.js';
import { settle, TestClock } from './test-clock.js';

/** The most a close reason may hold, in bytes of UTF-8 (RFC 6455; `link.close` refuses more). */
const MAX_CLOSE_REASON_BYTES = 123;

/** A recorded close reason as a replay gives it to `link.close`: cut to the 123 bytes a reason
 * may hold (the trace's redaction may have made it longer: a short secret became `[redacted]`),
 * at a character's end. The reason takes no part in the chart's transitions. */
function closeReasonOf(recorded: string): string {
  const bytes = new TextEncoder().encode(recorded);
  if (bytes.length <= MAX_CLOSE_REASON_BYTES) return recorded;
  let end = MAX_CLOSE_REASON_BYTES;
  // Back to the start of a character: a UTF-8 continuation byte is 10xxxxxx.
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

/** Microtask rounds after each input: memory delivery and promise chains run in between. */
const SETTLE_ROUNDS = 50;

/**
 * How `replayTrace` replays: the application hooks a trace cannot hold (per link), and how many
 * timers it may fire to reach one recorded timer step.
 */
export interface ReplayOptions {
  /** Options added to every replayed link, or per link id: the application hooks a trace cannot
   * hold (`shouldReconnect`, a `backoff` function; see each link's `hooks` in the trace). */
  linkOptions?: LinkOptions | ((linkId: string) => LinkOptions);
  /** Most timers fired to reach one recorded timer step. Default 10,000. */
  maxTimersPerStep?: number;
}

/** A failure of the caller's options (not of the trace): `apply` throws `error` on, ending the replay. */
class CallerError {
  constructor(readonly error: unknown) {}
}

export class ReplaySession {
  readonly clock = new TestClock(0);
  readonly supervisor: Supervisor;
  readonly recorder: TraceRecorder;
  /** Records the replay made, per actor id, in order. */
  readonly actual = new Map<string, TraceRecord[]>();
  /** Recorded inputs that happened already: a `transport.closed` refused inside its start slice. */
  readonly happened = new Set<TraceRecord>();
  private readonly network: MemoryNetwork;
  private readonly links = new Map<string, ReplayLink>();
  /** Servers whose next attempt fails inside its `connect()` with the recorded reason, or opens
   * there (null): a start slice's, ./replay-start-refusals.ts. */
  private readonly failing = new Map<MemoryServer, Reason | null>();
  private servers = 0;

  constructor(
    header: TraceHeader,
    inProcess: boolean,
    private readonly options: ReplayOptions = {},
    /** Per `peer.add` step, the links refused inside their start slice (./replay-start-refusals.ts). */
    private readonly refusals: StartRefusals = new Map(),
  ) {
    this.network = createMemoryNetwork({ clock: this.clock, inProcess });
    const lingerMs = asRecord(header.options).lingerMs;
    this.supervisor = createSupervisor({
      transport: failingInConnect(this.network.transport, this.failing),
      clock: this.clock,
      ...(typeof lingerMs === 'number' ? { lingerMs } : {}),
    });
    this.recorder = recordSession(this.supervisor, {
      onRecord: (record) => {
        listIn(this.actual, record.actor).push(record);
      },
    });
  }

  /** Applies one recorded input, and the transport inputs recorded in the same job before any
   * microtask ran (`sameJob`: replay-trace.ts); null when applied, otherwise why one could not be. */
  async apply(record: TraceEventRecord, sameJob: readonly TraceEventRecord[] = []): Promise<string | null> {
    // Refused inside its start slice, as recorded: applying it again would end a later attempt.
    if (this.happened.has(record)) return null;
    let why: string | null;
    try {
      if (record.source.kind !== 'timer') this.moveTo(record.atMs);
      switch (record.source.kind) {
        case 'command':
          why = record.actor === 'socket' ? this.socketCommand(record) : this.linkCommand(record);
          break;
        case 'child':
          why = this.transportInput(record);
          break;
        case 'timer':
          why = await this.fireTimer(record);
          break;
        default:
          why = null;
      }
    } catch (error) {
      if (error instanceof CallerError) throw error.error;
      why = `${record.event.type} could not be applied: ${(error as Error).message}`;
    }
    for (const next of sameJob) why ??= this.transportInput(next);
    await settle(SETTLE_ROUNDS);
    return why;
  }

  /**
   * Moves the clock to an input's recorded time without firing a timer: never past the next one
   * due (on a real clock a timer fires a little late; its turn in the trace is its own step).
   */
  private moveTo(atMs: number): void {
    const now = this.clock.now();
    const next = this.clock.nextAt();
    const to = next === null ? atMs : Math.min(atMs, next);
    if (Number.isFinite(to) && to > now) this.clock.jump(to - now);
  }

  /** Ends the replay's supervisor (terminate) and the recording; leaves nothing running. */
  async close(): Promise<void> {
    this.recorder.stop();
    let done = false;
    const running = this.recorder.actor('socket')?.getSnapshot().status === 'active';
    const ended = (running ? this.supervisor.terminate() : this.supervisor.close()).then(() => {
      done = true;
    });
    for (let i = 0; i < 1000 && !done; i++) await this.clock.advance(1000);
    await ended;
  }

  private socketCommand({ event, step }: TraceEventRecord): string | null {
    const supervisor = this.supervisor;
    switch (event.type) {
      case 'peer.add':
        return this.addLinks(event, this.refusals.get(step));
      case 'peer.remove': {
        const link = supervisor.get(String(event.linkId));
        if (!link) {
          // The link has ended (an application's listener closed it as it failed): the command
          // still reached the socket.
          const socket = this.actorOf('socket');
          if (!socket) return 'no socket';
          socket.send(event);
          return null;
        }
        void link
          .close({
            ...(typeof event.code === 'number' ? { code: event.code } : {}),
            ...(typeof event.reason === 'string' ? { reason: closeReasonOf(event.reason) } : {}),
          })
          .catch(() => {});
        return null;
      }
      case 'reconnect.enable':
      case 'reconnect.disable':
        supervisor.setReconnect(event.type === 'reconnect.enable');
        return null;
      case 'group.add':
      case 'group.remove': {
        // The replayed links are connected one by one (their recorded ids keep them members):
        // the socket learns the group's strategy and size, and forgets the group, as recorded.
        const socket = this.actorOf('socket');
        if (!socket) return 'no socket';
        socket.send(event);
        return null;
      }
      case 'network.offline':
      case 'network.online':
      case 'network.wake':
        // What the platform said (a page's online/offline, a wake after sleep), or a wake the
        // supervisor raised itself: raised again, the socket tells every link as recorded.
        supervisor.signal(event.type.slice('network.'.length) as NetworkSignal);
        return null;
      case 'socket.close':
        void supervisor.close();
        return null;
      case 'socket.terminate':
        void supervisor.terminate();
        return null;
      default:
        return `cannot replay the command ${event.type} to the socket`;
    }
  }

  /** The links of a recorded `peer.add` (a start slice; one `input` in older traces), booked in
   * order and started at once, so the replayed socket takes them in one `peer.add` too. A link whose
   * first attempt was refused inside the slice (`refused`) fails inside its `connect()` then, with
   * the recorded reason, as it was recorded; its server holds every later attempt. */
  private addLinks(
    event: TraceEventRecord['event'],
    refused: ReadonlyMap<string, StartRefusal> = new Map(),
  ): string | null {
    const inputs = Array.isArray(event.inputs) ? event.inputs.map(asRecord) : [asRecord(event.input)];
    let last = '';
    for (const input of inputs) {
      const why = this.addLink(input);
      if (why !== null) return why;
      last = String(input.linkId);
    }
    for (const [id, { reason, input: happened }] of refused) {
      const server = this.links.get(id)?.server;
      if (!server) continue;
      this.failing.set(server, reason);
      this.happened.add(happened);
    }
    try {
      // Reading the last link's actor starts every link booked through it as one slice.
      void this.supervisor.get(last)?.actor;
    } finally {
      this.failing.clear();
    }
    return null;
  }

  private addLink(input: Record<string, TraceJson>): string | null {
    const linkId = String(input.linkId ?? '');
    if (!linkId.startsWith('link:')) return 'peer.add without a link id';
    const url = `mem://replay/${++this.servers}`;
    const server = this.network.listen(url);
    server.hold();
    server.holdPongs();
    server.holdCloses();
    const heartbeat = asRecord(input.heartbeat);
    const link: ReplayLink = {
      server,
      heartbeatMode: String(heartbeat.mode ?? 'protocol'),
      resumes: typeof input.resume === 'object' && input.resume !== null,
      handshake: null,
      resolving: null,
    };
    this.links.set(linkId, link);
    const handshake = () =>
      new Promise<void>((resolve, reject) => {
        link.handshake = { resolve, reject };
      });
    const own = this.userLinkOptions(linkId);
    // Recorded per-attempt functions (credentials that refresh) replay as such too, each resolve
    // held until the trace says how it ended (./replay-resolve.ts).
    const { url: held, ...parts } = heldParts(link, url);
    const perAttempt = input.perAttempt === true;
    this.supervisor.connect(perAttempt ? held : url, {
      ...replayLinkOptions(input, handshake),
      ...(perAttempt ? parts : {}),
      ...own,
    });
    return null;
  }

  /** The caller's `linkOptions` for `linkId`: a function's answer checked as connect() checks
   * it. A throw or a bad answer is the caller's (LV_ERR_LISTENER / LV_ERR_INVALID_OPTION naming
   * `linkOptions`): it ends the replay (CallerError), never a divergence of the trace. */
  private userLinkOptions(linkId: string): LinkOptions {
    const own = this.userLinkOptionsOf(linkId);
    // Another id would make another link, never the recorded one: the caller's, not a divergence.
    const recorded = linkId.replace(/^link:/, '');
    if (own.id !== undefined && own.id !== recorded)
      throw new CallerError(
        optionError(
          'linkOptions.id',
          `must be left out: a replayed link keeps its recorded id ('${recorded}')`,
        ),
      );
    return own;
  }

  private userLinkOptionsOf(linkId: string): LinkOptions {
    const extra = this.options.linkOptions;
    if (typeof extra !== 'function') return extra ?? {};
    let own: LinkOptions;
    try {
      own = extra(linkId);
    } catch (cause) {
      throw new CallerError(
        new LinkvisorError('LV_ERR_LISTENER', `replayTrace: linkOptions('${linkId}') threw`, {
          option: 'linkOptions',
          cause,
        }),
      );
    }
    try {
      checkLinkOptions(own, 'linkOptions');
    } catch (error) {
      throw new CallerError(error);
    }
    return own ?? {};
  }

  private actorOf(id: string): AnyActorRef | undefined {
    return this.recorder.actor(id);
  }

  private linkCommand(record: TraceEventRecord): string | null {
    // XState's own events (`xstate.stop`, `xstate.init`, `xstate.error.actor.*`) are never a
    // recorded command (the recorder names timers by their delay and leaves the rest out): a
    // trace holding one was written by hand, and `xstate.stop` would end the link behind the
    // supervisor's back, whose close would then wait for it for ever.
    if (record.event.type.startsWith('xstate.'))
      return `cannot replay the command ${record.event.type} to a link`;
    const actor = this.actorOf(record.actor);
    if (actor?.getSnapshot().status !== 'active') return `link ${record.actor} is not running`;
    // A group restart is the replayed socket's own doing (its link.lost step tells the members);
    // sending the recorded one too would restart a member twice.
    if (record.event.type === 'link.restart') return null;
    actor.send(record.event);
    return null;
  }

  private transportInput(record: TraceEventRecord): string | null {
    const link = this.links.get(record.actor);
    if (!link) return `link ${record.actor} was not replayed`;
    return replayTransportInput(link, record, (id) => this.actorOf(id));
  }

  /** Advances the clock until the actor's recorded timer fires (or is cancelled). */
  private async fireTimer(record: TraceEventRecord): Promise<string | null> {
    const actor = this.actorOf(record.actor);
    if (!actor) return `no actor ${record.actor}`;
    const pending = () => isScheduled(actor, record.event.type);
    if (!pending()) {
      const delay = record.source.kind === 'timer' ? record.source.delay : record.event.type;
      return `no '${delay}' timer is pending`;
    }
    const max = this.options.maxTimersPerStep ?? 10_000;
    for (let fired = 0; fired < max && pending(); fired++) {
      // One timer at a time: another actor's timer of the same instant waits for its own step.
      if ((await this.clock.advanceToNextOne()) === null) break;
    }
    return pending() ? `the '${record.event.type}' timer did not fire within ${max} timers` : null;
  }
}

/** Whether `actor` has a delayed event of this type scheduled in its system. */
function isScheduled(actor: AnyActorRef, type: string): boolean {
  const system = actor.system as { getSnapshot?: () => { _scheduledEvents?: Record<string, unknown> } };
  const scheduled = system.getSnapshot?.()._scheduledEvents ?? {};
  return Object.values(scheduled).some((entry) => {
    const { source, event } = entry as { source?: unknown; event?: { type?: unknown } };
    return source === actor && event?.type === type;
  });
}
