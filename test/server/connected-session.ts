/**
 * One raw client connected to a `resumable` server, and the server's session for it: the setup
 * several server tests share. The client is closed after the test (the harness's defer).
 */
import type { ResumableServer, ResumableSession } from '../../src/server/index.js';
import type { Harness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

export async function connectedSession(
  h: Harness,
  rs: ResumableServer,
  url: string,
  client = new RawResumeClient(),
): Promise<{ client: RawResumeClient; session: ResumableSession }> {
  let session: ResumableSession | undefined;
  rs.on('session', (s) => {
    session = s;
  });
  h.defer(() => client.close());
  await client.connect(url);
  return { client, session: await waitFor(() => session, { message: 'session' }) };
}
