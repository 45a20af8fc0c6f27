/**
 * `linkvisor connect <url>`: one link of a supervisor, driven from a terminal or a pipe.
 * stdin lines → link.send (queued while down); messages → stdout; lifecycle → stderr.
 * The end of stdin keeps the link (until Ctrl-C) unless --exit-on-eof: then it closes once every
 * queued line has been sent. Exit codes: 0 closed after the link had been ready, 1 the link failed
 * (fatal reason or gave up), 3 ended before the link was ever ready (never a success); a second
 * Ctrl-C ends at once (130). Lines still queued at the end are reported.
 */
import readline from 'node:readline';
import type { Link } from '../runtime/link.js';
import type { LinkOptions } from '../runtime/options.js';
import { createSupervisor, type Supervisor } from '../runtime/supervisor.js';
import type { SupervisorOptions } from '../runtime/supervisor-types.js';
import { recordSession } from '../trace/record-session.js';
import type { Transport } from '../transports/transport.js';
import { wsTransport } from '../transports/ws-transport.js';
import { LinkvisorError } from '../util/errors.js';
import type { ConnectArgs } from './args.js';
import { formatDelay, formatMessage, lifecycle } from './format.js';
import { type GuardedOutput, ignoreErrors } from './guard-output.js';
import type { CliIO } from './io.js';
import { OutputFlow } from './output-flow.js';
import { shownFile } from './shown-file.js';
import { terminalText } from './terminal-text.js';
import { TraceFile, whyNotOpened } from './trace-file.js';
import { UsageError } from './usage-error.js';

/** Where the inspector lives (built by its own issue); resolved at run time, so a build without
 * it still runs and says so. */
const INSPECTOR_MODULE = '../inspector/index.js';

function linkOptions(args: ConnectArgs): LinkOptions {
  const options: LinkOptions = { id: 'cli' };
  if (Object.keys(args.headers).length > 0) options.headers = args.headers;
  if (args.protocols.length > 0) options.protocols = args.protocols;
  if (args.heartbeat !== undefined) options.heartbeat = args.heartbeat;
  if (Object.keys(args.backoff).length > 0) options.backoff = args.backoff;
  if (args.connectTimeoutMs !== undefined) options.connectTimeoutMs = args.connectTimeoutMs;
  return options;
}

/** The flag that sets each link option (the library's errors name the option, the command line's
 * the flag that was typed). */
const FLAGS: readonly (readonly [string, string])[] = [
  ['headers', '--header'],
  ['protocols', '--protocol'],
  ['heartbeat', '--heartbeat'],
  ['backoff.jitter', '--jitter'],
  ['backoff.maxAttempts', '--max-retries'],
  ['backoff', '--backoff'],
  ['connectTimeoutMs', '--connect-timeout'],
];

/** A link option's error as the command line says it: `headers: …` is `--header: …`, and a part
 * of one keeps its path after the flag (`--heartbeat: heartbeat.timeoutMs: …`). */
function asFlag(error: LinkvisorError): string {
  const option = error.option ?? '';
  const match = FLAGS.find(([name]) => option === name || option.startsWith(`${name}.`));
  if (match === undefined) return error.message;
  const [name, flag] = match;
  const own = `${name}: `;
  return option === name && error.message.startsWith(own)
    ? `${flag}: ${error.message.slice(own.length)}`
    : `${flag}: ${error.message}`;
}

/** What the CLI uses of src/inspector (typed loosely: the module may be absent from a build). */
interface InspectorModule {
  createInspector?: () => { inspect?: unknown };
  startInspector: (
    supervisor: Supervisor,
    options: { port: number; inspector?: unknown; warn?: (message: string) => void },
  ) => Promise<{ url?: string; close?: () => Promise<void> }>;
}

/** Loads the inspector if this build has one; says why not otherwise. */
async function loadInspector(say: (text: string) => void): Promise<InspectorModule | null> {
  let mod: Partial<InspectorModule>;
  try {
    mod = (await import(INSPECTOR_MODULE)) as Partial<InspectorModule>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND')
      say('inspector unavailable: this build has no inspector (src/inspector)');
    else say(`inspector unavailable: ${(error as Error).message}`);
    return null;
  }
  if (typeof mod.startInspector !== 'function') {
    say('inspector unavailable: src/inspector does not export startInspector()');
    return null;
  }
  return mod as InspectorModule;
}

/** Runs `connect`; `output` (guard-output.ts) is how it writes: a closed stdout ends it as Ctrl-C
 * does, a closed stderr only silences its lifecycle lines. */
export async function runConnect(args: ConnectArgs, io: CliIO, output: GuardedOutput): Promise<number> {
  // Server text (messages; close reasons and errors in lifecycle lines) reaches a terminal escaped.
  const forStderr = terminalText(args.escape, io.stderr.isTTY);
  const forStdout = terminalText(args.escape, io.stdout.isTTY);
  // stderr's reader may go away too (`2>&1 | head`): lifecycle lines stop there (guard-output.ts).
  // After a second Ctrl-C (`exiting now`) nothing more is said: the close it cut short still
  // releases what it holds, silently.
  let exitingNow = false;
  const say = (text: string) => {
    if (!args.quiet && !exitingNow) output.err(lifecycle(forStderr(text)));
  };
  // Signals are ours from the start: one that came before the process handled it would kill it
  // (Node installs its handler only when asked), and someone may press Ctrl-C at the first line.
  // SIGHUP too (the terminal closed): the link is closed with a close frame, as at SIGTERM.
  let onSignal: ((signal: NodeJS.Signals) => void) | null = null;
  let early: NodeJS.Signals | null = null;
  const offSignal = io.onSignal((signal) => {
    if (onSignal) onSignal(signal);
    else early ??= signal;
  }, true);
  let protocol = '';
  // stdout's reader went away (EPIPE): end as at Ctrl-C (`stop` once the client runs).
  let stop: (() => void) | null = null;
  let outputGone = false;
  const flow = new OutputFlow(io.stdout, output, (error) => {
    say(`stdout closed (${(error as { code?: string }).code ?? error.message}): closing`);
    if (stop) stop();
    else outputGone = true;
  });
  // The ws transport, noting the subprotocol each socket opened with.
  const transport: Transport = {
    ...wsTransport,
    connect: (target, handlers, context) =>
      wsTransport.connect(
        target,
        {
          ...handlers,
          open: (info) => {
            protocol = info.protocol;
            handlers.open(info);
          },
        },
        context,
      ),
  };
  const inspectorModule = args.inspect === undefined ? null : await loadInspector(say);
  // The collector sees the link from its first event, so the inspector shows its whole history.
  const collector = inspectorModule?.createInspector?.();
  const inspect = collector?.inspect as SupervisorOptions['inspect'];
  // --record streams the trace to its file as it is made (trace-file.ts): bounded memory, and
  // whole lines on disk however the process ends. A file that cannot be opened is a usage error.
  let traceFile: TraceFile | null = null;
  if (args.record !== undefined) {
    const record = shownFile(args.record);
    try {
      traceFile = new TraceFile(
        args.record,
        (error) =>
          say(
            `trace: writing ${record} failed (${(error as { code?: string }).code ?? error.message}); it ends here`,
          ),
        (waiting) =>
          say(
            `trace: ${record} is not read (${waiting} bytes waiting); it ends here, later steps are dropped`,
          ),
      );
    } catch (error) {
      offSignal();
      flow.dispose();
      const why = whyNotOpened(args.record, (error as { code?: unknown }).code);
      throw new UsageError('LV_ERR_IO', `--record: cannot write ${record}${why ? ` (${why})` : ''}`);
    }
  }
  const supervisor = createSupervisor({ transport, ...(inspect ? { inspect } : {}) });
  const recorder = traceFile === null ? null : recordSession(supervisor, traceFile.recorderOptions);
  /** Ends the recording once, when the client ends (however it ends): the records still held for
   * order are written, and the file is closed. */
  const saveTrace = () => {
    if (!recorder?.recording || !traceFile) return;
    recorder.stop();
    traceFile.close();
    const { dropped } = traceFile;
    if (traceFile.failure === null && dropped === 0)
      say(`trace saved to ${shownFile(traceFile.path)} (${traceFile.records} steps)`);
    else
      say(
        `trace in ${shownFile(traceFile.path)} is partial (${traceFile.records} steps${dropped > 0 ? `, ${dropped} dropped` : ''})`,
      );
  };
  let link: Link;
  try {
    link = supervisor.connect(args.url, linkOptions(args));
  } catch (error) {
    offSignal();
    await supervisor.close();
    recorder?.stop();
    traceFile?.close();
    throw error instanceof LinkvisorError
      ? new UsageError(error.code, asFlag(error))
      : new UsageError('LV_ERR_INVALID_OPTION', (error as Error).message);
  }
  const label = () => link.status().url;
  if (args.urlNote) say(args.urlNote);
  let everReady = false;
  // No reading while stdout is full (output-flow.ts): the link's hold, its new sockets too.
  flow.attach(link);
  link.on('ready', () => {
    everReady = true;
  });

  // Attempts are numbered as everywhere in linkvisor: the first connect is 0 (not shown), the
  // first retry is attempt 1.
  const connecting = (attempt: number) =>
    say(`connecting to ${label()}${attempt > 0 ? ` (attempt ${attempt})` : ''}`);
  // Every attempt is a state change (the first one too: a link starts after connect() returns).
  if (link.state === 'connecting') connecting(link.status().attempt);
  // Lifecycle lines come from the state event (it carries its own reason and attempt); a retry from
  // the chart's `reconnecting` announcement, which every retry makes, one scheduled (after the
  // state change) as one made at once (delayMs 0, no state of its own).
  link.on('state', ({ from, to, reason, attempt = 0 }) => {
    if (from === 'ready' && (to === 'reconnecting' || to === 'suspended' || to === 'failed') && reason) {
      say(`connection lost: ${reason.message}`);
    }
    if (to === 'connecting') connecting(attempt);
    else if (to === 'ready') say(`connected to ${label()}${chosen(protocol, args.protocols)}`);
  });
  link.on('state', ({ to, attempt = 0, delayMs = 0 }) => {
    if (to === 'rejoining')
      say(`rejoining in ${formatDelay(delayMs)}, attempt ${attempt}: the rest of the backoff is skipped`);
  });
  // Stopped (Ctrl-Z) and continued: timers stood still and the network may have changed, as after
  // a sleep: a waiting link attempts soon (rejoining), a ready one is checked now (supervisor.signal).
  const offContinue = io.onContinue(() => {
    say('SIGCONT: continued; checking the link');
    supervisor.signal('wake');
  });
  link.on('reconnecting', ({ attempt, delayMs, reason }) =>
    say(`reconnecting in ${formatDelay(delayMs)}, attempt ${attempt}: ${reason.message}`),
  );
  link.on('dropped', ({ reason }) => say(`a message was dropped (${reason})`));
  link.on('error', (error) => say(`error: ${error.message}`));
  const prefix = io.stdout.isTTY ? '< ' : '';
  link.on('message', (data) => flow.write(`${prefix}${forStdout(formatMessage(data))}\n`));

  let inspector: { url?: string; close?: () => Promise<void> } | null = null;
  if (inspectorModule && args.inspect !== undefined) {
    try {
      inspector = await inspectorModule.startInspector(supervisor, {
        port: args.inspect,
        ...(collector ? { inspector: collector } : {}),
        warn: (message) => say(`inspector: ${message}`),
      });
      say(`inspector at ${inspector.url ?? `port ${args.inspect}`}`);
    } catch (error) {
      say(`inspector failed to start: ${(error as Error).message}`);
    }
  }

  return new Promise<number>((resolve) => {
    let ending = false;
    let lines: readline.Interface | null = null;
    onSignal = (signal) => {
      if (ending) {
        say(`${signal} again: exiting now`);
        saveTrace();
        exitingNow = true;
        void supervisor.terminate();
        resolve(130);
        return;
      }
      say(`${signal}: closing`);
      void end(0);
    };

    const end = async (code: number) => {
      if (ending) return;
      ending = true;
      // Nothing is checked any more: a SIGCONT now (coreutils `timeout` sends one right after its
      // SIGTERM) is not "continued; checking the link".
      offContinue();
      lines?.close();
      io.stdin.pause();
      const waiting = link.status().queue.messages;
      if (waiting > 0 && link.state !== 'failed') say(`${waiting} queued line(s) not sent`);
      // Each step is bounded by the link's own timeouts; none may keep the others from running.
      await link.close().catch(() => {});
      // Never a success for a link that was never ready: the other end has not seen a thing.
      const neverReady = code === 0 && !everReady;
      say(neverReady ? 'closed; the link was never ready' : 'closed');
      await supervisor.close().catch(() => {});
      saveTrace();
      try {
        await inspector?.close?.();
      } catch (error) {
        say(`inspector: ${(error as Error).message}`);
      }
      offSignal();
      offContinue();
      flow.dispose();
      resolve(neverReady ? 3 : code);
    };
    stop = () => void end(0);

    const failed = (message: string) => {
      say(`failed: ${message}`);
      void end(1);
    };
    link.on('failed', ({ reason }) => failed(reason.message));
    // It may have failed already, while the inspector was starting.
    if (link.state === 'failed') failed(link.status().failure?.message ?? 'unknown reason');

    if (early) onSignal(early);
    else if (outputGone) stop();
    if (!args.stdin) return;
    lines = readline.createInterface({
      input: io.stdin,
      terminal: false,
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    // A stdin that fails (ECONNRESET: a socket reset under it; EIO: its terminal gone) is the end
    // of input, said once; readline hands the error on, and with nobody listening it was an
    // uncaught exception that killed the client without a close. Later errors of it are ignored.
    ignoreErrors(io.stdin);
    lines.on('error', (error: Error) => {
      say(`stdin failed (${(error as { code?: string }).code ?? error.message}): end of input`);
      lines?.close();
    });
    lines.on('line', (line) => {
      if (ending) return;
      try {
        if (link.send(line) === 'queued') {
          say(`not connected: queued (${link.status().queue.messages} waiting)`);
        }
      } catch (error) {
        say(`not sent: ${(error as Error).message}`);
      }
    });
    lines.on('close', () => {
      if (ending) return;
      if (!args.exitOnEof) {
        say('end of input: the link stays up until Ctrl-C (--exit-on-eof to close)');
        return;
      }
      const waiting = link.status().queue.messages;
      if (waiting === 0 && link.state === 'ready') {
        void end(0);
        return;
      }
      say(
        waiting === 0
          ? 'end of input: closing once connected'
          : `end of input: sending ${waiting} queued message(s) once connected`,
      );
      const off = link.on('ready', () => {
        if (link.status().queue.messages > 0) return;
        off();
        void end(0);
      });
    });
  });
}

/** Which subprotocol the server chose, by its place among those offered: subprotocols are
 * secrets (a token offered as one), never shown (docs/errors.md). */
function chosen(protocol: string, offered: readonly string[]): string {
  if (!protocol) return '';
  return ` (subprotocol ${offered.indexOf(protocol) + 1} of the ${offered.length} offered)`;
}
