/**
 * A session store's error as the server reports it (src/server/store-error.ts): the `cause` is the
 * copy every linkvisor error's is (src/util/redacted-cause.ts: message, stack, nested causes) with
 * the store's stricter rules for session ids. The nested cause and the stack are shown, and
 * neither they nor the message hold the id in any form (as written, percent, base64 padded and
 * not, base64url, hex), nor a store URL's password; the store's own `name` and `code` are kept
 * only as words free of the id; a short id hides the texts holding it.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { redactedError } from '../../src/server/store-error.js';
import { encodedForms, idForms } from '../helpers/secret-forms.js';

const ID = 'key_7QxV2pLm9sRt';
const PASSWORD = 'RedisPassw0rdSecret';
const forms = [...new Set([...idForms(ID), ...encodedForms(ID)])];

describe('store-error: the redacted copy of a store error', () => {
  it('message, stack and a nested cause shown, with the id in every form and a URL password redacted', () => {
    const all = forms.join(' ');
    const inner = Object.assign(new Error(`connect redis://default:${PASSWORD}@10.0.0.1:6379 for ${all}`), {
      code: 'ECONNREFUSED',
    });
    const thrown = Object.assign(new Error(`get sess:${all} failed`, { cause: inner }), {
      name: 'ReplyError',
      code: `E_${ID}`,
    });
    const error = redactedError('the session store failed to get', thrown, [ID]);
    const cause = error.cause as Error & { code?: unknown; cause?: Error & { code?: unknown } };
    expect(cause.name).toBe('ReplyError');
    expect(cause.code).toBeUndefined();
    expect(cause.message).toMatch(/^get sess:\[redacted\]/);
    expect(cause.cause?.code).toBe('ECONNREFUSED');
    expect(cause.cause?.message).toContain('redis://');
    const shown = `${inspect(error, { depth: 10 })} ${String(cause.stack)} ${String(cause.cause?.stack)}`;
    for (const secret of [...forms, PASSWORD])
      expect(shown.includes(secret), `${secret} in ${shown}`).toBe(false);
  });

  it('a short id in a nested cause hides that text, not the rest', () => {
    const thrown = new Error('lookup failed', { cause: new Error('key abc12 missing') });
    const cause = redactedError('x', thrown, ['abc12']).cause as Error & { cause?: Error };
    expect(cause.message).toBe('lookup failed');
    expect(cause.cause?.message).toBe('its message is not shown: it holds a session id');
    expect(inspect(cause, { depth: 10 })).not.toContain('abc12');
  });
});
