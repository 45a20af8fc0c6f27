/**
 * The supervisor's own `error` events (its `inspect` observer, a watcher's callback, linkvisor/otel,
 * its clock) carry a redacted copy of what was thrown, as a link's do (docs/errors.md, "What
 * `cause` is"): an observer that throws an error quoting a link's URL shows no user info and no
 * query value of it. Real ws server on 127.0.0.1.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { LinkvisorError } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const TOKEN = 'Tok3nSecretValue';
const PASSWORD = 'Passw0rdSecret';

describe("integration: secrets stay out of the supervisor's error causes", () => {
  const h = useHarness();

  it("an inspect observer's error quoting the URL: the supervisor's error event's cause is redacted", async () => {
    const server = await h.wsServer();
    const url = `ws://alice:${PASSWORD}@127.0.0.1:${server.port}/feed?token=${TOKEN}`;
    let thrown = false;
    const supervisor = h.supervisor({
      ...FAST,
      inspect: () => {
        if (thrown) return;
        thrown = true;
        throw new Error(`cannot log ${url}`, { cause: new Error(`nested ${url}`) });
      },
    });
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (error) => errors.push(error));
    supervisor.connect(url);
    await waitFor(() => errors.length > 0, { message: "the observer's error" });
    expect(errors[0]?.code).toBe('LV_ERR_LISTENER');
    const shown = inspect(errors[0], { depth: 10 });
    expect(shown).toContain('cannot log ws://');
    for (const secret of [TOKEN, PASSWORD]) expect(shown).not.toContain(secret);
  });
});
