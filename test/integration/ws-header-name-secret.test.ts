/**
 * A header line given as a name (`'Authorization: Bearer …': …`) holds a credential. In `headers`
 * the check names it by its length (test/integration/header-name-secrets.test.ts); in `wsOptions.headers`,
 * which ws hands to Node unchecked, Node's own error quoted the invalid name whole
 * (`ERR_INVALID_HTTP_TOKEN … ["Authorization: Bearer …"]`) in status and events, attempt after
 * attempt. Now it is bad input, as in `headers`: LV_ERR_INVALID_OPTION naming `wsOptions.headers`,
 * the name by its length (`shown`: scrubbed, its first 40 characters kept a bare token).
 */
import { describe, expect, it } from 'vitest';
import { LinkvisorError } from '../../src/util/errors.js';
import { recordEvents, textOf } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const TOKEN = 'wsNameTok5Jd8Qa3';

describe('integration: a credential in a wsOptions header name', () => {
  const h = useHarness();

  it('is refused as bad input, the name by its length; nothing reaches status or events', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, intensity: false });
    let thrown: unknown;
    let shown = '';
    try {
      const link = supervisor.connect(`${server.url}/feed`, {
        wsOptions: { headers: { [`Authorization: Bearer ${TOKEN}`]: 'x' } },
      });
      const events = recordEvents(link);
      // Before the check: the attempt fails (Node refuses the name) and the link retries.
      await waitFor(() => link.status().lastError !== null, { timeoutMs: 10_000, message: 'an error' });
      shown = `${JSON.stringify(link.status())}\n${textOf(events)}`;
      await link.close();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LinkvisorError);
    const error = thrown as LinkvisorError;
    expect(error.code).toBe('LV_ERR_INVALID_OPTION');
    expect(error.option).toBe('wsOptions.headers');
    expect(error.message).toMatch(
      /^wsOptions\.headers: a string of 38 characters is not a valid header name \(a whole 'Name: value' line\?\)$/,
    );
    expect(`${error.message}\n${shown}`).not.toContain(TOKEN);
  });

  it('a valid wsOptions header name passes', async () => {
    const server = await h.wsServer({
      onConnection: (ws, request) => ws.send(String(request.headers['x-trace-id'])),
    });
    const link = h
      .supervisor(FAST)
      .connect(`${server.url}/feed`, { wsOptions: { headers: { 'X-Trace-Id': 't1' } } });
    const got = await new Promise<string>((resolve) => link.on('message', (data) => resolve(String(data))));
    expect(got).toBe('t1');
  });
});
