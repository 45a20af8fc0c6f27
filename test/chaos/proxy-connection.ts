/**
 * One client connection of the chaos proxy (proxy.ts): the client's socket, its upstream socket to
 * the server and a `Pipe` (proxy-pipe.ts) each way; what a scenario reads of it (`ProxyConnection`:
 * its request's path and link, bytes forwarded) and the faults it takes alone (reset, cut).
 */
import type net from 'node:net';
import type { Pipe, Way } from './proxy-pipe.js';

export interface ProxyConnection {
  readonly id: number;
  readonly acceptedAt: number;
  /** Path and query of the HTTP request line (null until the first bytes arrived). */
  readonly path: string | null;
  /** The `link` query parameter of the request, if any. */
  readonly link: string | null;
  readonly client: net.Socket;
  readonly upstream: net.Socket | null;
  /** Bytes forwarded so far, per direction. */
  forwarded(way: Way): number;
  /** RST both sides now. */
  reset(): void;
  /** Forwards `afterBytes` more bytes in `way`, then destroys both sides. */
  cut(afterBytes: number, way?: Way): void;
}

export class Connection implements ProxyConnection {
  path: string | null = null;
  link: string | null = null;
  upstream: net.Socket | null = null;
  up: Pipe | null = null;
  down!: Pipe;
  /** The client sent its FIN. */
  clientEnded = false;
  private over = false;

  constructor(
    readonly id: number,
    readonly client: net.Socket,
    readonly acceptedAt: number,
    private readonly onOver: (c: Connection) => void,
  ) {}

  forwarded(way: Way): number {
    return (way === 'up' ? this.up?.forwarded : this.down.forwarded) ?? 0;
  }

  reset(): void {
    this.client.resetAndDestroy();
    this.upstream?.resetAndDestroy();
    this.finish();
  }

  cut(afterBytes: number, way: Way = 'down'): void {
    const pipe = way === 'up' ? this.up : this.down;
    if (!pipe) return;
    pipe.cutAt = pipe.forwarded + afterBytes;
    pipe.pump();
  }

  /** Both sockets are closed (or never will be used): forget the connection. */
  finish(): void {
    if (this.over) return;
    if (!this.client.destroyed || (this.upstream && !this.upstream.destroyed)) return;
    this.over = true;
    this.up?.dispose();
    this.down.dispose();
    this.onOver(this);
  }

  /** Destroys both sockets at once (the proxy is stopping). */
  destroy(): void {
    this.client.destroy();
    this.upstream?.destroy();
    this.finish();
  }
}
