/** A request written byte for byte on a TCP socket, as anyone on the machine can send one. */
import { connect } from 'node:net';

/** The status line the server answers `head` with (empty: it closed without answering). */
export function rawStatusLine(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const limit = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${JSON.stringify(head.split('\r\n')[0])} within 5 s`));
    }, 5_000);
    socket.on('data', (chunk) => {
      data += String(chunk);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(limit);
      resolve(data.split('\r\n')[0] ?? '');
    });
    socket.write(head);
  });
}
