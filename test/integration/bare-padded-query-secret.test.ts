/**
 * A query part that is a bare token with base64 padding (`?Zm9v+…==`: its only `=` are padding) or
 * whose "key" is no name (`?Zm9v+YmFy/…=x`) is a value, shown `[redacted]` by redactUrl
 * (src/util/redact.ts `KEYED_PART`); the secrets a link scrubs from free text (secretsOf) took the
 * text after its first `=` (`=`, `x`: too short, or not the token), so a server echoing the token
 * alone (not the whole query) in its close reason had it shown in the link's reason, lastError and
 * status(). A real ws server on 127.0.0.1 (port 0), nothing left after (the harness).
 */
import { describe, expect, it } from 'vitest';
import { secretsOf } from '../../src/util/redact.js';
import { recordEvents, textOf } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const PADDED = 'Zm9v+YmFy/cXV4LXNlY3JldA==';
const NO_NAME = 'Zm9v+YmFy/cXV4LXNlY3JldA=x';

describe('integration: a bare padded query token echoed alone stays hidden', () => {
  const h = useHarness();

  it('secretsOf holds the whole part of a bare padded token and of a part whose key is no name', () => {
    expect(secretsOf(`wss://h.example/feed?${PADDED}`)).toContain(PADDED);
    expect(secretsOf(`wss://h.example/feed?a=1&${NO_NAME}`)).toContain(NO_NAME);
    // A part with a name as its key is a key and a value, as before: the key is no secret.
    expect(secretsOf('wss://h.example/feed?access_token=k7QxV2pLm9sRt4Zw')).not.toContain('access_token');
  });

  it.each([PADDED, NO_NAME])(
    'a server quoting %s (the query part alone) in its close reason',
    async (part) => {
      const server = await h.wsServer({
        onConnection: (ws, request) => {
          const query = (request.url ?? '').split('?')[1] ?? '';
          ws.close(4000, `not accepted: ${query.split('&').at(-1)}`);
        },
      });
      const supervisor = h.supervisor({ ...FAST, networkSignals: false });
      const link = supervisor.connect(`${server.url}/feed?a=1&${part}`);
      const log = recordEvents(link);
      await waitFor(() => log.of('reconnecting').length >= 1, { message: 'the close reason' });
      const shown = [textOf(log.events), JSON.stringify(link.status())].join('\n');
      expect(shown).toContain('not accepted: [redacted]');
      expect(shown).not.toContain('cXV4LXNlY3JldA');
      await supervisor.close();
    },
  );
});
