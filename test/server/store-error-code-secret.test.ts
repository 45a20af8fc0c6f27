/**
 * A store error whose `code` or `name` is a session id (a store that names its errors by key, or
 * puts the key it failed on in `code`): the server's reported `cause` keeps a store error's `name`
 * and `code` when they are words, and a session id can be a word (`abcdef12-…`, a UUID starting
 * with a letter, or any id a client picked). Before the fix they were kept as they were, the id in
 * clear in the `error`; now a `name` or `code` holding an id (or anything UUID-shaped) is left out.
 * A real ws server on 127.0.0.1, port 0.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { SessionStore } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { idForms } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';
import { helloTo } from './hello-to.js';

const NAMED = `abcdef12-${Math.random().toString(16).slice(2, 6)}-4a1b-8c2d-0123456789ab`;
const NEW_ID = `key_${Math.random().toString(36).slice(2)}`;

describe('resumable(wss): a store error whose code or name is a session id', () => {
  const h = useHarness();

  it.each([
    ['code', (id: string) => Object.assign(new Error('lookup failed'), { code: id })],
    ['name', (id: string) => Object.assign(new Error('lookup failed'), { name: id })],
    ['code (the key)', (id: string) => Object.assign(new Error('lookup failed'), { code: `sess.${id}` })],
  ])('its %s is not shown', async (_what, thrown) => {
    const store: SessionStore = {
      get: (id) => {
        throw thrown(id);
      },
      put: () => {},
      delete: () => {},
    };
    const { rs, errors } = await helloTo(h, store, NAMED, NEW_ID);
    await waitFor(() => errors.length >= 2, { message: 'both gets failed' });
    await rs.close();
    expect(errors.map((e) => e.message)).toEqual([
      'the session store failed to get',
      'the session store failed to get',
    ]);
    for (const error of errors) {
      const cause = error.cause as Error & { code?: string };
      expect(cause.message).toBe('lookup failed');
      const shown = `${String(cause)} ${cause.stack} ${inspect(error, { depth: 9 })} ${JSON.stringify(cause)} ${cause.name} ${String(cause.code)}`;
      for (const form of [...idForms(NAMED), ...idForms(NEW_ID)]) expect(shown).not.toContain(form);
    }
  });
});
