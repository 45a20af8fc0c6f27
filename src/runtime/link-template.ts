/**
 * A link template: the URL (when static) and the options of a link checked once and resolved into
 * what every link with them shares, the chart's serialisable input and the runtime's wire config.
 * The supervisor reuses one for a loop of `connect(url)`; ./link-parts.ts makes each link's own
 * parts from it.
 */
import type { AnyActorRef } from 'xstate';
import { type ConnectionInput, resolvePolicy } from '../../machines/connection.machine.js';
import { TIMEOUT_DEFAULTS } from '../../machines/policy/timeouts.js';
import type { ConnectWith, Transport } from '../transports/transport.js';
import type { Clock } from '../util/clock.js';
import { LinkvisorError, optionError } from '../util/errors.js';
import { capText, redactUrl } from '../util/redact.js';
import type { AttemptAbort } from './attempt-abort.js';
import type { HeaderSupport } from './attempt-headers.js';
import { checkStaticParts, checkUrl } from './attempt-target.js';
import type { FeatureCommands } from './feature-commands.js';
import { DEFAULT_MAX_PAYLOAD_BYTES, type LinkOptions, type PerAttempt, policiesOf } from './options.js';
import type { resumeTemplate } from './resume-template.js';
import type { HandshakeRunner } from './run-handshake.js';
import type { HoldFactory, SessionFactory, WireConfig } from './wire-config.js';

/** A link's URL: a string or `URL`, or a function of the attempt (sync or async) called before each one. */
export type UrlInput = PerAttempt<string | URL>;

const NO_AUTH_CLOSE_CODES: readonly number[] = Object.freeze([]);

export interface LinkEnv {
  transport: Transport;
  clock: Clock;
  seed: number;
  parent?: AnyActorRef;
  forwardTo?: AnyActorRef;
  /** Makes session clients for links with `resume` (the supervisor and defineLink offer it,
   * src/runtime/link-features.ts). */
  resume?: SessionFactory;
  /** Checks a link's `resume` option against the transport and puts it over the defaults
   * (./resume-template.ts, offered with `resume`); absent, a link has no resume. */
  resumeOptions?: typeof resumeTemplate;
  /** Makes the runner of a `handshake` option (offered with `resume`). */
  handshake?: (handshake: NonNullable<LinkOptions['handshake']>) => HandshakeRunner;
  /** Checks `headers` and `wsOptions` (offered with `resume`; ./attempt-headers.ts). */
  headers?: HeaderSupport;
  /** Makes a link's hold on reading (`Link.pause`; ./reading-hold.ts): every maker but the drop-in
   * in a browser offers it. */
  hold?: HoldFactory;
  /** Connects an attempt to any transport, custom ones included (src/transports/detachable-handlers.ts). */
  connectWith?: ConnectWith;
  /** Runs the chart's handshake, resume and ack commands (./feature-commands.ts). */
  commands?: FeatureCommands;
  /** Says in an attempt signal's abort reason why it aborted (./attempt-abort.ts). */
  abort?: AttemptAbort;
}

/** What every link of one URL and options shares: checked once, reused by each link's parts. */
export interface LinkTemplate {
  input: Omit<ConnectionInput, 'linkId' | 'seed' | 'parent' | 'autoConnect'>;
  autoConnect: boolean;
  /** Shared by every link of the template (a link keeps its id and queue on its wire). */
  wire: WireConfig;
}

/**
 * The checks of a link's options that need no URL: against the transport (protocol pings, an
 * in-process socket cannot resume) and the per-attempt options given as values (subprotocols,
 * headers, wsOptions: ./attempt-target.ts). `connect()` runs them on the merged options,
 * `createSupervisor()` on its defaults: a bad default throws at once. Throws a LinkvisorError
 * naming the option. The link features (resume, handshake, headers, wsOptions) are offered by
 * every caller that can be given them (the supervisor, defineLink: ./link-features.ts); the one
 * that offers none, ./standalone-links.ts, takes StandaloneLinkOptions, which has none of them
 * (the drop-in's options refuse them as unknown keys), so no refusal of theirs is needed here,
 * nor carried by the drop-in's bundle.
 */
export function checkTemplateOptions(
  options: LinkOptions,
  env: Pick<LinkEnv, 'transport' | 'resume' | 'resumeOptions' | 'handshake' | 'headers'>,
): void {
  const { transport } = env;
  const heartbeat = options.heartbeat === false ? undefined : options.heartbeat;
  if (heartbeat?.mode === 'protocol' && !transport.protocolPing) {
    throw new LinkvisorError(
      'LV_ERR_UNSUPPORTED',
      `heartbeat.mode: the ${transport.name} transport has no protocol pings; use mode 'app' with ping() and isPong()`,
      { option: 'heartbeat.mode' },
    );
  }
  checkStaticParts(options, env.headers);
  if (options.resume) env.resumeOptions?.(options.resume, transport);
}

/**
 * Validates the URL (when static) and the options, resolved into what every link with them shares.
 * `linkId` names a per-attempt URL in the label (a template for a function URL is one link's).
 */
export function linkTemplate(
  url: UrlInput,
  options: LinkOptions,
  env: Pick<
    LinkEnv,
    | 'transport'
    | 'clock'
    | 'resume'
    | 'resumeOptions'
    | 'handshake'
    | 'headers'
    | 'hold'
    | 'connectWith'
    | 'commands'
    | 'abort'
  >,
  linkId: string,
): LinkTemplate {
  const { transport, clock } = env;
  let label: string;
  if (typeof url === 'function') label = capText(`(per-attempt URL of ${linkId})`);
  else if (typeof url === 'string' || url instanceof URL) label = redactUrl(checkUrl(url, transport.schemes));
  else throw optionError('url', 'must be a string, a URL or a function returning one', 'LV_ERR_INVALID_URL');

  checkTemplateOptions(options, env);
  const heartbeatInput = options.heartbeat === false ? undefined : options.heartbeat;
  const policies = policiesOf(options, transport.protocolPing);
  // Checked by checkTemplateOptions; no resume where the maker offers none (the drop-in).
  const resume = (options.resume && env.resumeOptions?.(options.resume, transport)) || null;
  const input: LinkTemplate['input'] = {
    label,
    inProcess: transport.inProcess,
    hasHandshake: options.handshake !== undefined && !transport.inProcess,
    // Frozen: every link of the template shares them, and the chart may reuse its policy for them.
    backoff: Object.freeze(policies.backoff),
    timeouts: Object.freeze(policies.timeouts),
    heartbeat: Object.freeze(policies.heartbeat),
    ...(resume ? { resume: { resumeTimeoutMs: resume.resumeTimeoutMs, ackDelayMs: resume.ackDelayMs } } : {}),
    ...(policies.intensity === false || Object.keys(policies.intensity).length > 0
      ? { intensity: policies.intensity === false ? false : Object.freeze(policies.intensity) }
      : {}),
    ...(options.network && Object.keys(options.network).length > 0
      ? { network: Object.freeze({ ...options.network }) }
      : {}),
    // Credentials that refresh: a function called per attempt can fetch new ones.
    ...(typeof url === 'function' ||
    typeof options.headers === 'function' ||
    typeof options.protocols === 'function' ||
    typeof options.wsOptions === 'function'
      ? { perAttempt: true }
      : {}),
  };
  // The resolved numbers the chart uses too: one frozen object shared by links with the same.
  const heartbeat = resolvePolicy(input).heartbeat;
  return {
    input,
    autoConnect: options.autoConnect !== false,
    wire: {
      label,
      transport,
      clock,
      url,
      protocols: options.protocols,
      headers: options.headers,
      wsOptions: options.wsOptions,
      handshake: options.handshake && env.handshake?.(options.handshake),
      heartbeat,
      overdueAfterMs: heartbeat.mode === 'off' ? null : heartbeat.intervalMs + 2 * heartbeat.timeoutMs,
      queue: policies.queue,
      ping: heartbeatInput ? heartbeatInput.ping : undefined,
      isPong: heartbeatInput ? heartbeatInput.isPong : undefined,
      shouldReconnect: options.shouldReconnect,
      authCloseCodes: options.authCloseCodes ?? NO_AUTH_CLOSE_CODES,
      backoffFn: typeof options.backoff === 'function' ? options.backoff : undefined,
      maxPayloadBytes: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      connectTimeoutMs: options.connectTimeoutMs ?? TIMEOUT_DEFAULTS.connectTimeoutMs,
      resume: resume && env.resume ? { options: resume, create: env.resume } : null,
      headerSupport: env.headers ?? null,
      hold: env.hold ?? null,
      connectWith: env.connectWith ?? null,
      commands: env.commands ?? null,
      abort: env.abort ?? null,
    },
  };
}
