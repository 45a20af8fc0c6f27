/**
 * Session ids are bearer secrets: a store whose errors quote the key it failed on (as written,
 * percent-encoded, base64, base64url, hex) must not put the id into the server's `error`, its
 * message, its `cause` or anything util.inspect shows of it. Every store call fails here (`get` for
 * the hello's id, `put` as the session goes away, `delete` as close() ends it). A real ws server.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { SessionStore } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { idForms } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';
import { helloTo } from './hello-to.js';

const NAMED = `tok/${Math.random().toString(36).slice(2)}+named=`;
const NEW_ID = `tok/${Math.random().toString(36).slice(2)}+fresh=`;
/** Some other session's id, as linkvisor's clients make them. */
const OTHER = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';

/** A store error quoting `id` in every form, and another session's id with and without dashes. */
function quoting(what: string, id: string): Error {
  const [plain, url, b64, b64url, hex, HEX] = idForms(id);
  return Object.assign(
    new Error(
      `${what} failed: key sess:${plain} not found (url ${url}, b64 ${b64}, b64url ${b64url}, hex ${hex}, HEX ${HEX}) near ${OTHER} ${OTHER.replaceAll('-', '')}`,
    ),
    { code: 'ESTORE', key: `sess:${id}` },
  );
}

/** Whether `shown` still holds 6 consecutive bytes of `id` inside some base64 or base64url run, at
 * any alignment (the run decoded from each of its first four characters). */
function base64Leak(shown: string, id: string): boolean {
  const windows: string[] = [];
  for (let i = 0; i + 6 <= id.length; i++) windows.push(id.slice(i, i + 6));
  for (const [run] of shown.replace(/\r?\n[ \t]*/g, '').matchAll(/[A-Za-z0-9+/_-]{8,}/g)) {
    for (let from = 0; from < 4; from++) {
      const decoded = Buffer.from(run.slice(from), 'base64').toString('latin1');
      if (windows.some((window) => decoded.includes(window))) return true;
    }
  }
  return false;
}

/** `text` cut into lines of `width` characters, each after the first indented (a wrapped log). */
const wrapped = (text: string, width: number) =>
  (text.match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join('\n  ');

describe('resumable(wss): a store error holding session ids', () => {
  const h = useHarness();

  it('get, put and delete failures are reported with every form of the id redacted', async () => {
    const store: SessionStore = {
      get: (id) => {
        throw quoting('get', id);
      },
      put: async (id) => {
        throw quoting('put', id);
      },
      delete: (id) => {
        throw quoting('delete', id);
      },
    };
    const { rs, errors, ws } = await helloTo(h, store, NAMED, NEW_ID);
    await new Promise((resolve) => ws.once('message', resolve));
    ws.terminate();
    await waitFor(() => errors.length >= 3, { message: 'both gets and the put failed' });
    await rs.close();
    expect(errors.map((e) => e.message)).toEqual([
      'the session store failed to get',
      'the session store failed to get',
      'the session store failed to put',
      'the session store failed to delete',
    ]);
    for (const error of errors) {
      const cause = error.cause as Error & { code?: string };
      // What the store said is kept, its ids redacted; its code too.
      expect(cause.message).toMatch(/failed: key sess:\[redacted\] not found \(url \[redacted\]/);
      expect(cause.code).toBe('ESTORE');
      const shown = `${error.message} ${String(cause)} ${cause.stack} ${inspect(error, { depth: 9 })} ${JSON.stringify(cause)}`;
      for (const form of [...idForms(NAMED), ...idForms(NEW_ID), OTHER, OTHER.replaceAll('-', '')]) {
        expect(shown).not.toContain(form);
      }
    }
  });

  it.each([
    ['as written', (id: string) => id],
    ['hex', (id: string) => Buffer.from(id).toString('hex')],
    ['HEX', (id: string) => Buffer.from(id).toString('hex').toUpperCase()],
    ['base64', (id: string) => Buffer.from(id).toString('base64')],
  ])('a short id (%s) the text cannot be scrubbed of hides the store message', async (_form, quote) => {
    const store: SessionStore = {
      get: (id) => {
        throw new Error(`no key ${quote(id)}`);
      },
      put: () => {},
      delete: () => {},
    };
    const { errors } = await helloTo(h, store, 'ab1c', NEW_ID);
    await waitFor(() => errors.length >= 1, { message: 'get failed' });
    const cause = errors[0]?.cause as Error;
    expect(cause.message).toBe('its message is not shown: it holds a session id');
    expect(inspect(errors[0], { depth: 9 })).not.toContain(`no key ${quote('ab1c')}`);
  });

  it('the id inside a longer base64 text at any alignment, and split across lines, is redacted', async () => {
    const quoted = (id: string) => {
      const key = (prefix: string) => Buffer.from(`${prefix}${id}`).toString('base64');
      return new Error(
        `get failed: b64 ${key('sess:')} ${key('s:')} ${key('k')} url ${Buffer.from(`x${id}`).toString('base64url')}\n` +
          `wrapped: sess:${wrapped(id, 7)}\n${wrapped(key('sess:'), 10)}\nkeep this`,
      );
    };
    const store: SessionStore = {
      get: (id) => {
        throw quoted(id);
      },
      put: () => {},
      delete: () => {},
    };
    const { errors } = await helloTo(h, store, NAMED, NEW_ID);
    await waitFor(() => errors.length >= 2, { message: 'both gets failed' });
    // The message is a real leak before redaction (the check itself can fail).
    expect(base64Leak(quoted(NAMED).message, NAMED)).toBe(true);
    for (const error of errors) {
      const cause = error.cause as Error;
      expect(cause.message).toMatch(/^get failed: b64 .*\nkeep this$/s);
      const shown = `${String(cause)} ${inspect(error, { depth: 9 })}`;
      for (const id of [NAMED, NEW_ID]) {
        expect(base64Leak(shown, id), shown).toBe(false);
        expect(shown.replace(/\r?\n[ \t]*/g, '')).not.toContain(id);
      }
    }
  });

  it('answering a hello that fails (a record that throws on reading) is reported without the ids', async () => {
    const store: SessionStore = {
      get: (id) => ({
        get kind(): 'overflowed' {
          throw quoting('read', id);
        },
      }),
      put: () => {},
      delete: () => {},
    };
    const { errors, ws } = await helloTo(h, store, NAMED, NEW_ID);
    const closed = new Promise((resolve) => ws.once('close', resolve));
    await closed;
    await waitFor(() => errors.length >= 1, { message: 'the answer failed' });
    expect(errors.map((e) => e.message)).toEqual(['answering a resume hello failed']);
    const cause = errors[0]?.cause as Error & { code?: string };
    expect(cause.message).toMatch(/^read failed: key sess:\[redacted\] not found/);
    expect(cause.code).toBe('ESTORE');
    const shown = `${String(cause)} ${cause.stack} ${inspect(errors[0], { depth: 9 })} ${JSON.stringify(cause)}`;
    for (const form of [...idForms(NAMED), ...idForms(NEW_ID), OTHER, OTHER.replaceAll('-', '')]) {
      expect(shown).not.toContain(form);
    }
  });
});
