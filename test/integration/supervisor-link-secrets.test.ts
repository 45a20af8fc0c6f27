/**
 * The supervisor's own `error` events are redacted with its links' secrets, not only by shape
 * (docs/errors.md, "What `cause` is"): a supervisor listener, or a function links share, throwing
 * an error that quotes a link's bearer header, its `protocols` token or a secret a `headers()`
 * function returned, shows none of them, in any encoding (raw, percent, base64 padded and not,
 * base64url), while the link is live and after it ended. Real ws server on 127.0.0.1.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { LinkvisorError } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { encodedForms } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';

const BEARER = 'BearerHeaderSecret77';
const PROTOCOL = 'ProtocolTokenSecret55';
const DYNAMIC = 'DynamicHeaderSecret33';
const SECRETS = [BEARER, PROTOCOL, DYNAMIC];

/** An error quoting every secret in every form, bare (no `Bearer ` or `token=` before it: only
 * the link's own secrets can find it), in its message and in a nested cause. */
function quoting(): Error {
  const all = SECRETS.flatMap(encodedForms).join(' ');
  return new Error(`shared code failed: ${all}`, { cause: new Error(`inner: ${all}`) });
}

function expectNoSecrets(errors: LinkvisorError[]): void {
  expect(errors.length).toBeGreaterThan(0);
  for (const error of errors) {
    const shown = `${inspect(error, { depth: 10 })} ${JSON.stringify(error.cause)}`;
    expect(shown).toContain('shared code failed');
    for (const form of SECRETS.flatMap(encodedForms))
      expect(shown.includes(form), `${form} found in: ${shown.slice(0, 400)}`).toBe(false);
  }
}

describe("integration: the supervisor's error events are redacted with its links' secrets", () => {
  const h = useHarness();

  const connectLink = async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (error) => errors.push(error));
    const link = supervisor.connect(`ws://127.0.0.1:${server.port}/feed`, {
      protocols: ['token', PROTOCOL],
      headers: () => ({ Authorization: `Bearer ${BEARER}`, 'X-Session': DYNAMIC }),
    });
    return { supervisor, link, errors };
  };

  it("a supervisor listener's error quoting a live link's header, protocol and headers() secrets", async () => {
    const { supervisor, errors } = await connectLink();
    supervisor.on('up', () => {
      throw quoting();
    });
    await waitFor(() => errors.length > 0, { message: "the 'up' listener's error" });
    expect(errors[0]?.code).toBe('LV_ERR_LISTENER');
    expectNoSecrets(errors);
  });

  it("a group listener's error quoting a member's secrets: the group's error event is redacted too", async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const group = supervisor.connectGroup(
      [`ws://127.0.0.1:${server.port}/a`, `ws://127.0.0.1:${server.port}/b`],
      {
        id: 'feeds',
        protocols: ['token', PROTOCOL],
        headers: () => ({ Authorization: `Bearer ${BEARER}`, 'X-Session': DYNAMIC }),
      },
    );
    const errors: LinkvisorError[] = [];
    group.on('error', (error) => errors.push(error));
    group.on('up', () => {
      throw quoting();
    });
    await waitFor(() => errors.length > 0, { message: "the group 'up' listener's error" });
    expectNoSecrets(errors);
  });

  it("a listener's error after the link ended (the supervisor's 'closed'): still redacted", async () => {
    const { supervisor, link, errors } = await connectLink();
    await link.ready();
    supervisor.on('closed', () => {
      throw quoting();
    });
    await supervisor.close();
    await waitFor(() => errors.length > 0, { message: "the 'closed' listener's error" });
    expectNoSecrets(errors);
  });
});
