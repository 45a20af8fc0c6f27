/**
 * A raw `ws` client that opens and says nothing (no hello): what a `resumable` server's greeting
 * timeout is for.
 */
import WebSocket from 'ws';

/** Opens a socket to `url` and resolves once open; `closed()` is its close code, or null. */
export async function silentSocket(url: string): Promise<{ ws: WebSocket; closed: () => number | null }> {
  const ws = new WebSocket(url);
  let code: number | null = null;
  ws.on('close', (c) => {
    code = c;
  });
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, closed: () => code };
}
