/**
 * The inspector's answer to a page command it refuses does not echo a string the page sent that
 * could be a secret (a JWT, a `Bearer …`, a 40-char token, a URL with a password) as the event
 * type or the actor: it is shown by its length (a short word is still quoted, an actor the
 * inspector knows by its id). Before, scrubCredentials let a bare token through.
 */
import { describe, expect, it } from 'vitest';
import { createInspector, startInspector } from '../../src/inspector/index.js';
import { secretForms } from '../../src/util/redact.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { connectPage } from './page-client.js';

const SECRETS = [
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ',
  'Bearer k7QxT2mZ9pL4vB8nR1sW6yH3',
  'k7QxT2mZ9pL4vB8nR1sW6yH3jF5dC0aE+/gUoIqe',
  'wss://alice:s3cr3tP4ss@example.com/feed',
];
const PARTS = ['c2lnbmF0dXJlLXNpZ25hdHVyZQ', 'k7QxT2mZ9pL4vB8nR1sW6yH3', 's3cr3tP4ss'];

describe("the inspector's refusal of a page command", () => {
  const h = useHarness();

  it('never echoes a secret-shaped event type or actor', async () => {
    const ws = await h.wsServer();
    const inspector = createInspector();
    const supervisor = h.supervisor({ ...FAST, inspect: inspector.inspect });
    await supervisor.connect(ws.url, { id: 'feed' }).ready();
    const server = await startInspector(supervisor, { inspector, allowEvents: true });
    h.defer(() => server.close());
    const page = await connectPage(server.url);
    h.defer(() => page.close());
    await page.next('hello');
    const forms = [...SECRETS, ...PARTS].flatMap((s) => secretForms(s));
    for (const secret of SECRETS) {
      for (const command of [
        { type: 'send' as const, actor: 'link:feed', event: { type: secret } },
        { type: 'send' as const, actor: secret, event: { type: 'link.close' } },
      ]) {
        page.send(command);
        const result = await page.next('result');
        expect(result.ok).toBe(false);
        const text = JSON.stringify(result);
        for (const form of forms) expect(text).not.toContain(form);
      }
    }
    page.send({ type: 'send', actor: 'link:feed', event: { type: 'open' } });
    expect((await page.next('result')).message).toBe("not allowed: 'open' to 'link:feed'");
  });
});
