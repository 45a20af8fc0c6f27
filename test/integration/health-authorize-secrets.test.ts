/**
 * A health endpoint's `authorize(request)` that throws an error quoting the request's credential
 * (its bearer token, a cookie's session id, a token in its query): the supervisor's `error` event
 * (LV_ERR_LISTENER naming `authorize`) shows none of them, in any form (raw, percent, base64
 * padded and not, base64url). Those are no link's secrets: the handler scrubs the request's own.
 * A real `http` server on 127.0.0.1, port 0.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createSupervisor, healthHandler, type LinkvisorError } from '../../src/index.js';
import { request, serveHttp } from '../health/serve-http.js';
import { useHarness } from '../helpers/harness.js';
import { encodedForms } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';

const BEARER = 'HealthBearerSecret91';
const SESSION = 'HealthCookieSecret73';
const QUERY = 'HealthQuerySecret64';
const FORMS = [BEARER, SESSION, QUERY].flatMap(encodedForms);

describe('integration: secrets of a health request stay out of the supervisor error', () => {
  const h = useHarness();

  it("authorize() quoting the request's bearer token, cookie and query token", async () => {
    const supervisor = createSupervisor({ heartbeat: false });
    h.defer(() => supervisor.close());
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (error) => errors.push(error));
    const handler = healthHandler(supervisor, {
      showDetails: 'whenAuthorized',
      authorize: (incoming) => {
        const credential = String(incoming.headers.authorization).slice('Bearer '.length);
        const cookie = String(incoming.headers.cookie).split('=')[1] ?? '';
        const token = new URL(String(incoming.url), 'http://x').searchParams.get('t') ?? '';
        const all = [credential, cookie, token].flatMap(encodedForms).join(' ');
        throw new Error(`no such key: ${all}`, { cause: new Error(`lookup ${all}`) });
      },
    });
    const port = await serveHttp(h, handler);
    await request(port, 'GET', `/health?t=${QUERY}`, {
      authorization: `Bearer ${BEARER}`,
      cookie: `sid=${SESSION}`,
    });
    await waitFor(() => errors.length > 0, { message: "authorize()'s error" });
    expect(errors[0]?.option).toBe('authorize');
    const shown = inspect(errors[0], { depth: 10 });
    expect(shown).toContain('no such key');
    for (const form of FORMS)
      expect(shown.includes(form), `${form} found in: ${shown.slice(0, 300)}`).toBe(false);
  });
});
