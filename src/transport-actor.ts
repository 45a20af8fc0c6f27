/**
 * The `transport` actor the connection chart invokes in `attempt`: one socket, from resolving the
 * per-attempt URL and headers to terminating it when the chart leaves the state. It reports
 * `transport.*`, `handshake.*` and `heartbeat.pong` to the chart and obeys its commands.
 * Stopping it (the chart left `attempt`) aborts everything it started: a superseded socket can
 * never deliver an event to a newer attempt (XState also drops a stopped actor's sendBack).
 */
import { fromCallback } from 'xstate';
import type { TransportCommand, TransportInput, TransportReport } from '../machines/connection.machine.js';
import type { Reason } from '../machines/policy/close-reason.js';
import { LinkvisorError, optionError } from './errors.js';
import { LinkWire } from './link-wire.js';
import { type AttemptInfo, describe, type HandshakeSession, isRecord } from './options.js';
import { assertPayload, type Incoming, type Payload, type PayloadSite, unwritable } from './payload.js';
import { redactUrl, secretsOf } from './redact.js';
import { errorReason, type TransportConnection, type TransportTarget } from './transports/transport.js';

/** How often a closing link checks that its socket has flushed, in ms (bounded by closeTimeoutMs). */
const DRAIN_POLL_MS = 10;

/** Transport actor logic that finds the wire of the link it serves. */
export function createTransportLogic(wireOf: (input: TransportInput) => LinkWire | undefined) {
  return fromCallback<TransportCommand, TransportInput>(({ input, sendBack, receive }) => {
    const wire = wireOf(input);
    if (!wire) {
      sendBack({
        type: 'transport.closed',
        reason: { kind: 'invalid', errorCode: 'LV_ERR_NO_TRANSPORT', message: `no wire for ${input.linkId}` },
      } satisfies TransportReport);
      return;
    }
    const attempt = new Attempt(wire, input.attempt, sendBack as (report: TransportReport) => void);
    receive((command) => attempt.command(command));
    attempt.start();
    return () => attempt.dispose();
  });
}

/** Checks a resolved URL against the transport; the message never contains the raw URL. */
export function checkUrl(raw: string | URL, schemes: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    throw new LinkvisorError('LV_ERR_INVALID_URL', `url: not a valid URL (${redactUrl(String(raw))})`, {
      option: 'url',
    });
  }
  if (!schemes.includes(url.protocol)) {
    throw new LinkvisorError(
      'LV_ERR_INVALID_URL',
      `url: scheme '${url.protocol}' is not supported by this transport (use ${schemes.join(' or ')})`,
      { option: 'url' },
    );
  }
  return url.toString();
}

class Attempt {
  /** Aborted when the attempt ends; made only if someone asks for its signal (a per-attempt
   * function, a handshake): most attempts never do, and an abort() costs a DOMException. */
  private abortController: AbortController | null = null;
  private connection: TransportConnection | null = null;
  private disposed = false;
  private pingSentAt: number | null = null;
  /** When the last ping went out, kept after activity answered it: its own pong, arriving later,
   * still measures the round trip (the ws transport drops pongs of older pings). */
  private lastPingSentAt: number | null = null;
  /** A round trip measured that way, reported with the next answer. */
  private lateRttMs: number | null = null;
  private drainTimer: unknown = null;
  /** The chart declared this socket ready at least once (its queue may be flushed). */
  private wasReady = false;
  /** Inbound messages held for a running handshake, and its waiting `next()` calls. */
  private handshakeInbox: Incoming[] | null = null;
  private handshakeWaiters: { resolve: (d: Incoming) => void; reject: (e: unknown) => void }[] = [];

  constructor(
    private readonly wire: LinkWire,
    private readonly attempt: number,
    private readonly report: (report: TransportReport) => void,
  ) {}

  start(): void {
    const target = this.resolveTarget();
    if (target instanceof Promise) {
      target.then(
        (resolved) => this.open(resolved),
        (error) => this.fail(this.resolveFailure(error)),
      );
    } else {
      this.open(target);
    }
  }

  command(command: TransportCommand): void {
    if (this.disposed) return;
    switch (command.type) {
      case 'transport.flush':
        this.makeWritable();
        return;
      case 'transport.ping':
        this.ping();
        return;
      case 'transport.handshake':
        this.runHandshake();
        return;
      case 'transport.drain':
        this.drain(command.code, command.reason);
        return;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.abortController?.abort();
    const wire = this.wire;
    if (wire.connection === this.connection) {
      wire.connection = null;
      wire.writable = false;
      wire.awaitingPong = false;
    }
    if (this.drainTimer !== null) wire.config.clock.clearTimeout(this.drainTimer);
    this.rejectHandshakeWaiters(() => new LinkvisorError('LV_ERR_ABORTED', 'the attempt ended'));
    const connection = this.connection;
    this.connection = null;
    if (connection) this.transportCall('terminate()', () => connection.terminate());
  }

  // ── opening ──

  /** Synchronous when nothing is a function, so in-process links open within the same step. */
  private resolveTarget(): TransportTarget | Promise<TransportTarget> {
    const { url, protocols, headers, wsOptions } = this.wire.config;
    const parts = [url, protocols, headers, wsOptions];
    const build = ([u, p, h, o]: unknown[]): TransportTarget => ({
      url: checkUrl(u as string | URL, this.wire.config.transport.schemes),
      protocols: checkProtocols(p),
      headers: checkHeaders(h),
      options: checkRecord(o, 'wsOptions'),
    });
    if (parts.some((p) => typeof p === 'function')) {
      const info: AttemptInfo = { attempt: this.attempt, signal: this.signal };
      return Promise.all(
        parts.map((p, i) =>
          LinkWire.resolve(p as never, info).catch((error: unknown) => {
            throw new ResolveError(PART_NAMES[i] as string, error);
          }),
        ),
      ).then(build);
    }
    try {
      return build(parts);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private resolveFailure(error: unknown): Reason {
    if (error instanceof LinkvisorError && error.code === 'LV_ERR_INVALID_URL') {
      return { kind: 'error', errorCode: 'LV_ERR_INVALID_URL', message: this.wire.redact(error.message) };
    }
    // A function that threw or rejected (with anything), or returned a value of the wrong shape.
    const detail =
      error instanceof ResolveError
        ? `${error.option}() threw or rejected: ${describeThrown(error.cause)}`
        : describeThrown(error);
    return {
      kind: 'error',
      errorCode: 'LV_ERR_RESOLVE',
      message: `resolving the connection details failed: ${this.wire.redact(detail)}`,
    };
  }

  private open(target: TransportTarget): void {
    if (this.disposed) return;
    const wire = this.wire;
    wire.addSecrets(secretsOf(target.url, target.headers));
    wire.lastUrl = redactUrl(target.url);
    let connection: TransportConnection;
    try {
      connection = this.connect(target);
    } catch (error) {
      // A custom transport that throws instead of reporting: this attempt failed, the link retries.
      const reason = errorReason(error, wire.redact);
      this.fail({
        ...reason,
        errorCode: reason.errorCode ?? 'LV_ERR_TRANSPORT',
        message: `the transport's connect() threw: ${reason.message}`,
      });
      return;
    }
    this.connection = connection;
    wire.connection = connection;
  }

  private connect(target: TransportTarget): TransportConnection {
    const wire = this.wire;
    return wire.config.transport.connect(
      target,
      {
        open: (info) => {
          if (this.disposed) return;
          this.report({ type: 'transport.open', protocol: info.protocol, extensions: info.extensions });
        },
        message: (data) => this.onMessage(data),
        pong: () => this.onPong('pong'),
        closed: (reason) => this.fail(reason),
      },
      {
        clock: wire.config.clock,
        connectTimeoutMs: wire.config.connectTimeoutMs,
        maxPayloadBytes: wire.config.maxPayloadBytes,
        redact: wire.redact,
      },
    );
  }

  private fail(reason: Reason): void {
    if (this.disposed) return;
    // Whatever a transport put in its message (a custom one may quote the URL), no secret of this
    // link goes further than here.
    reason = { ...reason, message: this.wire.redact(reason.message) };
    if (this.wire.connection === this.connection) this.wire.writable = false;
    this.rejectHandshakeWaiters(() => new LinkvisorError('LV_ERR_ABORTED', reason.message));
    this.report({ type: 'transport.closed', reason });
  }

  // ── data and heartbeat ──

  private onMessage(data: Incoming): void {
    if (this.disposed) return;
    const wire = this.wire;
    const isPong = wire.config.isPong;
    if (isPong && wire.config.heartbeat.mode === 'app' && this.isPong(isPong, data)) {
      this.onPong('pong');
      return;
    }
    if (wire.awaitingPong) this.onPong('activity');
    if (this.handshakeInbox) {
      const waiter = this.handshakeWaiters.shift();
      if (waiter) waiter.resolve(data);
      else this.handshakeInbox.push(data);
      return;
    }
    wire.deliver(data);
  }

  /** The application's matcher: a truthy answer is a pong; one that throws is reported and means no. */
  private isPong(isPong: (data: Incoming) => unknown, data: Incoming): boolean {
    const answer = this.userCall('heartbeat.isPong', () => isPong(data));
    return answer !== THREW && Boolean(answer);
  }

  private onPong(proof: 'pong' | 'activity'): void {
    const wire = this.wire;
    const now = wire.config.clock.now();
    if (proof === 'pong') {
      wire.pongSeen = true;
      if (this.pingSentAt === null && this.lastPingSentAt !== null) {
        // Activity already answered this ping; its pong still tells the round trip.
        this.lateRttMs = now - this.lastPingSentAt;
        this.lastPingSentAt = null;
      }
    }
    if (this.pingSentAt === null) return;
    const rttMs = proof === 'pong' ? now - this.pingSentAt : this.lateRttMs;
    if (proof === 'pong') this.lastPingSentAt = null;
    this.lateRttMs = null;
    this.pingSentAt = null;
    wire.awaitingPong = false;
    // Once the peer has answered a ping on this link, activity answers for it as a pong would:
    // on a busy link inbound messages always beat the pong, and a chart that never learnt that the
    // peer speaks ping would tolerate its silence forever (a blackholed link staying ready).
    this.report({ type: 'heartbeat.pong', rttMs, proof: wire.pongSeen ? 'pong' : proof });
  }

  private ping(): void {
    const wire = this.wire;
    const connection = this.connection;
    if (!connection) return;
    this.pingSentAt = wire.config.clock.now();
    this.lastPingSentAt = this.pingSentAt;
    wire.lastPingAt = this.pingSentAt;
    wire.awaitingPong = true;
    // A ping that cannot go out is reported and counts as sent: a missing ping is a missed pong.
    const ping = wire.config.ping;
    if (wire.config.heartbeat.mode === 'app' && ping) {
      const payload = this.userCall('heartbeat.ping', () => ping());
      if (payload === THREW) return;
      try {
        assertPayload(payload, PING);
      } catch (error) {
        wire.reportError(error as LinkvisorError);
        return;
      }
      this.write(connection, payload, PING);
    } else {
      this.transportCall('ping()', () => connection.ping());
    }
  }

  /** Writes a message of the runtime's own (a ping); a socket that throws is reported. */
  private write(connection: TransportConnection, data: Payload, site: PayloadSite): boolean {
    try {
      return connection.send(data);
    } catch (error) {
      this.wire.reportError(unwritable(error, site, this.wire.redact));
      return false;
    }
  }

  /**
   * Runs an application callback that must answer synchronously. If it throws, or returns a
   * promise (an async callback: never awaited, its rejection handled here so it cannot become an
   * unhandled one), reports an `error` event and returns THREW: the link goes on (a missing ping
   * is a missed pong, a failing matcher means "not a pong").
   */
  private userCall<T>(option: string, fn: () => T): T | typeof THREW {
    try {
      const value = fn();
      if (!isThenable(value)) return value;
      Promise.resolve(value).catch(() => {});
    } catch (error) {
      this.wire.reportError(
        new LinkvisorError('LV_ERR_LISTENER', `${option}() threw`, { option, cause: error }),
      );
      return THREW;
    }
    this.wire.reportError(
      new LinkvisorError(
        'LV_ERR_INVALID_OPTION',
        `${option}() returned a promise; it must answer synchronously`,
        {
          option,
        },
      ),
    );
    return THREW;
  }

  /** Runs a method of the transport's connection; if it throws (a custom transport's bug), reports
   * LV_ERR_TRANSPORT and returns THREW: the attempt is never broken by it. */
  private transportCall<T>(what: string, fn: () => T): T | typeof THREW {
    try {
      return fn();
    } catch (error) {
      this.wire.reportError(
        new LinkvisorError(
          'LV_ERR_TRANSPORT',
          `the transport's ${what} threw: ${this.wire.redact(describeThrown(error))}`,
          { cause: error },
        ),
      );
      return THREW;
    }
  }

  private makeWritable(): void {
    const wire = this.wire;
    this.wasReady = true;
    wire.lastPingAt = wire.config.clock.now();
    // Messages that arrived after the handshake's last read are the application's.
    const held = this.handshakeInbox;
    this.handshakeInbox = null;
    if (held) for (const data of held) wire.deliver(data);
    wire.flush();
    wire.writable = wire.queue.length === 0;
  }

  // ── handshake ──

  private runHandshake(): void {
    const handshake = this.wire.config.handshake;
    const connection = this.connection;
    if (!handshake || !connection) {
      this.report({ type: 'handshake.ok' });
      return;
    }
    this.handshakeInbox = [];
    const session: HandshakeSession = {
      send: (data) => {
        assertPayload(data, HANDSHAKE_SEND);
        let written: boolean;
        try {
          written = connection.send(data);
        } catch (error) {
          throw unwritable(error, HANDSHAKE_SEND, this.wire.redact);
        }
        if (!written) {
          throw new LinkvisorError('LV_ERR_LINK_CLOSED', 'handshake send(): the socket is not open');
        }
      },
      next: () => {
        const inbox = this.handshakeInbox;
        if (this.disposed || !inbox) {
          return Promise.reject(new LinkvisorError('LV_ERR_ABORTED', 'the handshake is over'));
        }
        const data = inbox.shift();
        if (data !== undefined) return Promise.resolve(data);
        return new Promise<Incoming>((resolve, reject) => this.handshakeWaiters.push({ resolve, reject }));
      },
      attempt: this.attempt,
      signal: this.signal,
    };
    Promise.resolve()
      .then(() => handshake(session))
      .then(
        () => {
          if (!this.disposed) this.report({ type: 'handshake.ok' });
        },
        (error: unknown) => {
          if (this.disposed) return;
          // Whatever was thrown (a symbol, an object whose getters throw) fails this attempt only.
          this.report({
            type: 'handshake.failed',
            reason: {
              kind: 'handshake',
              message: `handshake failed: ${this.wire.redact(describeThrown(error))}`,
              ...(isFatal(error) ? { fatal: true } : {}),
            },
          });
        },
      );
  }

  /** Rejects the handshake's pending `next()` calls; the error is made only if there are any. */
  private rejectHandshakeWaiters(error: () => unknown): void {
    const waiters = this.handshakeWaiters;
    if (waiters.length === 0) return;
    this.handshakeWaiters = [];
    const reason = error();
    for (const waiter of waiters) waiter.reject(reason);
  }

  /** The attempt's abort signal (already aborted if the attempt is over). */
  private get signal(): AbortSignal {
    if (!this.abortController) {
      this.abortController = new AbortController();
      if (this.disposed) this.abortController.abort();
    }
    return this.abortController.signal;
  }

  // ── closing ──

  /**
   * Flushes what is queued (only if the link got to ready: a handshake that never finished must
   * not see application messages), waits until the socket has handed everything to the network,
   * then starts the close handshake. The chart's closeTimeout bounds all of it.
   */
  private drain(code: number, reason: string): void {
    const wire = this.wire;
    const connection = this.connection;
    if (!connection) return;
    wire.writable = false;
    if (this.wasReady) wire.flush();
    const check = () => {
      this.drainTimer = null;
      if (this.disposed) return;
      const buffered = this.transportCall('bufferedAmount', () => connection.bufferedAmount);
      if (typeof buffered === 'number' && buffered > 0) {
        this.drainTimer = wire.config.clock.setTimeout(check, DRAIN_POLL_MS);
        return;
      }
      this.transportCall('close()', () => connection.close(code, reason));
    };
    check();
  }
}

/** What a callback that threw returns in its place (no value of the application's can be it). */
const THREW: unique symbol = Symbol('threw');

const PING: PayloadSite = { call: 'heartbeat.ping()', option: 'heartbeat.ping' };
const HANDSHAKE_SEND: PayloadSite = { call: 'handshake session.send(data)', option: 'handshake' };

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** The per-attempt options, in the order resolveTarget() resolves them. */
const PART_NAMES = ['url', 'protocols', 'headers', 'wsOptions'] as const;

/** A per-attempt function that threw or rejected, with the option it is. */
class ResolveError extends Error {
  constructor(
    readonly option: string,
    override readonly cause: unknown,
  ) {
    super(`${option}() threw or rejected`);
  }
}

/** The text of anything thrown; never throws itself (a getter or toString() may). */
function describeThrown(error: unknown): string {
  try {
    const message = (error as { message?: unknown } | null | undefined)?.message;
    return typeof message === 'string' ? message : String(error);
  } catch {
    return `${typeof error} that cannot be shown`;
  }
}

function isFatal(error: unknown): boolean {
  try {
    return (error as { fatal?: unknown } | null | undefined)?.fatal === true;
  } catch {
    return false;
  }
}

/** RFC 7230 token: header names and subprotocols. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Subprotocols of one attempt (a per-attempt function may return anything). */
function checkProtocols(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((p) => typeof p === 'string' && TOKEN.test(p))) {
    throw optionError(
      'protocols',
      `must be a token or an array of tokens (RFC 6455), got ${describe(value)}`,
    );
  }
  if (new Set(list).size !== list.length) throw optionError('protocols', 'must not repeat a subprotocol');
  return [...list];
}

/** Headers of one attempt: names are tokens, values strings without CR, LF or NUL (never shown). */
function checkHeaders(value: unknown): Record<string, string> {
  const headers = checkRecord(value, 'headers');
  for (const [name, v] of Object.entries(headers)) {
    if (!TOKEN.test(name)) throw optionError('headers', `'${name.slice(0, 40)}' is not a valid header name`);
    if (typeof v !== 'string') throw optionError('headers', `'${name}' must be a string, got ${describe(v)}`);
    if (/[\r\n\0]/.test(v)) throw optionError('headers', `the value of '${name}' contains CR, LF or NUL`);
  }
  return headers as Record<string, string>;
}

function checkRecord(value: unknown, option: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw optionError(option, `must be an object, got ${describe(value)}`);
  return value;
}
