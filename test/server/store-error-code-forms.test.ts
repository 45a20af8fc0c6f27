/**
 * A store error's `name` and `code` in the server's reported `cause` (src/server/store-error.ts):
 * left out when they hold a session id the call was about in any form a store may write it
 * (test/helpers/secret-forms.ts: as written, percent-encoded, base64, base64url, hex in either
 * case), alone or inside a longer word, or anything shaped like a UUID; kept when they are plain
 * words naming what failed (`ECONNRESET`, `ReplyError`). As in the store's message, a short id
 * (under 6 characters) found inside one, or the start of an id, hides it.
 */
import { describe, expect, it } from 'vitest';
import { redactedError } from '../../src/server/store-error.js';
import { idForms } from '../helpers/secret-forms.js';

const ID = 'key_7QxV2pLm9sRt';
const UUID_ID = 'abcdef12-3456-4a1b-8c2d-0123456789ab';

const causeOf = (thrown: unknown, ids: readonly string[]) =>
  redactedError('the session store failed to get', thrown, ids).cause as Error & { code?: unknown };

describe('a store error’s name and code', () => {
  const forms = [...idForms(ID), ...idForms(UUID_ID)];
  it.each(forms.map((form) => [form]))('%s as the code, the name, or inside them: left out', (form) => {
    for (const word of [form, `sess.${form}`, `${form}-missing`]) {
      const cause = causeOf(Object.assign(new Error('lookup failed'), { code: word, name: word }), [
        ID,
        UUID_ID,
      ]);
      expect(cause.code).toBeUndefined();
      expect(cause.name).toBe('Error');
    }
  });

  it.each([
    ['ECONNRESET', 'Error', [ID, UUID_ID]],
    ['ETIMEDOUT', 'Error', ['6f1e2d3c-4b5a-4968-8776-655443322110', 'zz9']],
    ['NOAUTH', 'ReplyError', [UUID_ID, '']],
    ['ER_LOCK_DEADLOCK', 'QueryFailedError', ['x', 'zz9']],
  ] as const)('%s (%s) with ids %j: kept', (code, name, ids) => {
    const cause = causeOf(Object.assign(new Error('lookup failed'), { code, name }), ids);
    expect([cause.name, cause.code]).toEqual([name, code]);
  });

  it('a short id (under 6 characters) inside a code or name: left out, as it hides the message', () => {
    const cause = causeOf(
      Object.assign(new Error('lookup RESET failed'), { code: 'ECONNRESET', name: 'ReplyError' }),
      ['RESET', 'Reply'],
    );
    expect([cause.name, cause.code, cause.message]).toEqual([
      'Error',
      undefined,
      'its message is not shown: it holds a session id',
    ]);
  });
});
