/**
 * The close table (machines/policy/close-reason.ts), row by row, against an expected table kept
 * here on purpose: a change of verdict must change this file too.
 */
import { describe, expect, it } from 'vitest';
import {
  CLOSE_CODE_VERDICTS,
  classify,
  classifyCloseCode,
  classifyHttpStatus,
  FATAL_ERROR_CODES,
  HTTP_STATUS_VERDICTS,
  isErrorReason,
  PROTOCOL_ERROR_CLOSE_CODES,
  parseRetryAfter,
  type Reason,
  rejectsCredentials,
  type Verdict,
} from '../../machines/policy/close-reason.js';

const CLOSE_CODES: [code: number, verdict: Verdict, why: string][] = [
  [1000, 'clean', 'normal closure'],
  [1001, 'retryable', 'going away (restart, navigation)'],
  [1002, 'fatal', 'protocol error'],
  [1003, 'fatal', 'unsupported data'],
  [1004, 'retryable', 'reserved: unknown, retried'],
  [1005, 'retryable', 'no status received'],
  [1006, 'retryable', 'abnormal closure (network drop)'],
  [1007, 'fatal', 'invalid payload data'],
  [1008, 'fatal', 'policy violation (auth)'],
  [1009, 'fatal', 'message too big'],
  [1010, 'fatal', 'mandatory extension'],
  [1011, 'retryable', 'internal server error'],
  [1012, 'retryable', 'service restart'],
  [1013, 'retryable', 'try again later'],
  [1014, 'retryable', 'bad gateway'],
  [1015, 'retryable', 'TLS handshake failure (local): a certificate mid-renewal'],
  [3000, 'refresh', 'unauthorized (IANA): fresh credentials may help'],
  [3003, 'fatal', 'forbidden (IANA)'],
  [3008, 'retryable', 'timeout (IANA)'],
  [4000, 'retryable', 'application code: retried unless the hook says no'],
  [4400, 'retryable', 'application code'],
  [4999, 'retryable', 'application code'],
  [2000, 'retryable', 'unknown code: retried'],
];

const HTTP_STATUSES: [status: number, verdict: Verdict][] = [
  [400, 'fatal'],
  [401, 'refresh'],
  [403, 'fatal'],
  [404, 'fatal'],
  [405, 'fatal'],
  [408, 'retryable'],
  [425, 'retryable'],
  [429, 'retryable'],
  [500, 'retryable'],
  [502, 'retryable'],
  [503, 'retryable'],
  [504, 'retryable'],
  [301, 'fatal'],
  [308, 'fatal'],
  [302, 'retryable'],
  [303, 'retryable'],
  [307, 'retryable'],
  [300, 'fatal'],
  [304, 'fatal'],
  [200, 'fatal'],
  [204, 'fatal'],
  [100, 'fatal'],
];

const ERROR_CODES: [errorCode: string, verdict: Verdict][] = [
  ['ECONNREFUSED', 'retryable'],
  ['ECONNRESET', 'retryable'],
  ['ENOTFOUND', 'retryable'],
  ['ETIMEDOUT', 'retryable'],
  // Out of its dates: a renewal on the server fixes it (retried, as 1015 and Chromium's 1006 are).
  ['CERT_HAS_EXPIRED', 'retryable'],
  ['CERT_NOT_YET_VALID', 'retryable'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'fatal'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', 'fatal'],
  ['LV_ERR_INVALID_URL', 'fatal'],
];

const KINDS: [label: string, reason: Reason, verdict: Verdict][] = [
  ['user', { kind: 'user', code: 1000, message: 'closed by the application' }, 'final'],
  ['gave-up', { kind: 'gave-up', message: 'gave up' }, 'fatal'],
  ['invalid', { kind: 'invalid', message: 'bad delay' }, 'fatal'],
  ['intensity', { kind: 'intensity', message: 'restarted too often' }, 'fatal'],
  ['group', { kind: 'group', cause: 'link:g/0', message: 'restarted with its group' }, 'retryable'],
  ['connect timeout', { kind: 'timeout', phase: 'connect', message: 't' }, 'retryable'],
  ['handshake timeout', { kind: 'timeout', phase: 'handshake', message: 't' }, 'retryable'],
  ['heartbeat', { kind: 'heartbeat', message: 'no pong' }, 'retryable'],
  ['handshake without fatal', { kind: 'handshake', message: 'rejected' }, 'retryable'],
  ['handshake with fatal: false', { kind: 'handshake', fatal: false, message: 'rejected' }, 'retryable'],
  ['handshake with fatal: true', { kind: 'handshake', fatal: true, message: 'bad token' }, 'fatal'],
  ['close without a code (1005)', { kind: 'close', message: 'no status' }, 'retryable'],
  ['http without a status', { kind: 'http', message: 'odd' }, 'fatal'],
  ['error without a code', { kind: 'error', message: 'boom' }, 'retryable'],
  // A custom transport's own kind (docs/links.md): a retryable error, so it is lastError.
  ['a kind of its own', { kind: 'mine' as Reason['kind'], message: 'relay reset' }, 'retryable'],
];

describe('close table: WebSocket close codes', () => {
  it.each(CLOSE_CODES)('%i → %s (%s)', (code, verdict) => {
    expect(classifyCloseCode(code)).toBe(verdict);
    expect(classify({ kind: 'close', code, message: `closed with code ${code}` })).toBe(verdict);
  });
});

describe('the exported tables (linkvisor/machines) list exactly the documented rows', () => {
  // A row equal to the default verdict (1006 → retryable, 403 → fatal) changes no classification,
  // but the tables are public: an inspector or an application reads them to explain a verdict.
  const UNLISTED = new Set([1004, 2000, 4000, 4400, 4999]);

  it('close codes', () => {
    const listed = CLOSE_CODES.filter(([code]) => !UNLISTED.has(code)).map(([code, verdict]) => [
      code,
      verdict,
    ]);
    expect(CLOSE_CODE_VERDICTS).toEqual(Object.fromEntries(listed));
  });

  it('HTTP statuses: only those that differ from their class, and the common auth and path ones', () => {
    expect(HTTP_STATUS_VERDICTS).toEqual({
      302: 'retryable',
      303: 'retryable',
      307: 'retryable',
      401: 'refresh',
      403: 'fatal',
      404: 'fatal',
      408: 'retryable',
      425: 'retryable',
      429: 'retryable',
    });
  });

  it('fatal error codes', () => {
    expect([...FATAL_ERROR_CODES].sort()).toEqual(
      [
        'DEPTH_ZERO_SELF_SIGNED_CERT',
        'ERR_INVALID_URL',
        'ERR_TLS_CERT_ALTNAME_INVALID',
        'LV_ERR_INVALID_URL',
        'SELF_SIGNED_CERT_IN_CHAIN',
        'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
        'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      ].sort(),
    );
  });
});

describe('close table: HTTP status of a rejected upgrade', () => {
  it.each(HTTP_STATUSES)('%i → %s', (status, verdict) => {
    expect(classifyHttpStatus(status)).toBe(verdict);
    expect(classify({ kind: 'http', status, message: `HTTP ${status}` })).toBe(verdict);
  });
});

describe('close table: network and TLS errors', () => {
  it.each(ERROR_CODES)('%s → %s', (errorCode, verdict) => {
    expect(classify({ kind: 'error', errorCode, message: errorCode })).toBe(verdict);
  });
});

describe('close table: reason kinds', () => {
  it.each(KINDS)('%s → %s', (_label, reason, verdict) => {
    expect(classify(reason)).toBe(verdict);
  });
});

describe('credentials rejections (verdict refresh)', () => {
  it('a close code the application marked as auth is a rejection; unmarked it is an application code', () => {
    expect(classify({ kind: 'close', code: 4401, message: 'expired', auth: true })).toBe('refresh');
    expect(classify({ kind: 'close', code: 4401, message: 'expired' })).toBe('retryable');
  });

  it('rejectsCredentials: HTTP 401, close 3000 and marked codes; not 403, 1008, nor nothing', () => {
    expect(rejectsCredentials({ kind: 'http', status: 401, message: 'no' })).toBe(true);
    expect(rejectsCredentials({ kind: 'close', code: 3000, message: 'no' })).toBe(true);
    expect(rejectsCredentials({ kind: 'close', code: 4401, message: 'no', auth: true })).toBe(true);
    expect(rejectsCredentials({ kind: 'http', status: 403, message: 'no' })).toBe(false);
    expect(rejectsCredentials({ kind: 'close', code: 1008, message: 'no' })).toBe(false);
    expect(rejectsCredentials(null)).toBe(false);
    expect(rejectsCredentials(undefined)).toBe(false);
  });
});

describe('isErrorReason', () => {
  it.each([
    [{ kind: 'close', code: 1000, message: 'bye' } as Reason, false],
    [{ kind: 'user', message: 'closed' } as Reason, false],
    [{ kind: 'close', code: 1006, message: 'reset' } as Reason, true],
    [{ kind: 'http', status: 401, message: 'no' } as Reason, true],
    [{ kind: 'timeout', phase: 'connect', message: 't' } as Reason, true],
    [{ kind: 'mine', message: 'relay reset' } as unknown as Reason, true],
  ])('%o → %s', (reason, expected) => {
    expect(isErrorReason(reason)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');

  it.each([
    ['120', 120_000],
    ['0', 0],
    ['  5 ', 5_000],
    ['3600', 3_600_000],
  ])('delta-seconds %j → %i ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it('an HTTP-date gives the ms from now until it', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 08:28:00 GMT', now)).toBe(3_600_000);
  });

  it('an HTTP-date in the past is 0, never negative', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0);
  });

  it.each([undefined, '', '   ', 'soon', '12abc', '1e3', '0x10', '2 minutes'])(
    'garbage %j → undefined',
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );

  it.each([
    'Wed, 21 Foo 2015 07:28:00 GMT',
    'Wed, 32 Oct 2015 07:28:00 GMT',
    'Wed, 21 Oct 2015 25:28:00 GMT',
  ])('an HTTP-date in the right shape that is no date %j → undefined (not NaN)', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  it.each(['x Wed, 21 Oct 2015 07:28:30 GMT', 'Wed, 21 Oct 2015 07:28:30 GMT+0100', '2099-01-01T00:00:00Z'])(
    'a date Date.parse reads but that is no IMF-fixdate %j → undefined',
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );

  it('garbage that Date.parse happens to accept never yields a positive wait', () => {
    // V8's lenient Date.parse reads "-5" and "1.5" as dates in 2001: at worst no hint.
    for (const value of ['-5', '1.5', 'Tuesday 99']) {
      const ms = parseRetryAfter(value, now);
      expect(ms === undefined || ms === 0).toBe(true);
    }
  });
});

describe('protocol errors from the server are classified by the close code the client sends', () => {
  const PROTOCOL_ERRORS: [errorCode: string, closeCode: number][] = [
    ['WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', 1009],
    ['WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH', 1009],
    ['WS_ERR_INVALID_UTF8', 1007],
    ['WS_ERR_INVALID_OPCODE', 1002],
    ['WS_ERR_INVALID_CLOSE_CODE', 1002],
    ['WS_ERR_EXPECTED_FIN', 1002],
    ['WS_ERR_EXPECTED_MASK', 1002],
    ['WS_ERR_UNEXPECTED_MASK', 1002],
    ['WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH', 1002],
    ['WS_ERR_UNEXPECTED_RSV_1', 1002],
    ['WS_ERR_UNEXPECTED_RSV_2_3', 1002],
    ['WS_ERR_TOO_MANY_BUFFERED_PARTS', 1008],
  ];

  it('the mapping is exactly this table', () => {
    expect(PROTOCOL_ERROR_CLOSE_CODES).toEqual(Object.fromEntries(PROTOCOL_ERRORS));
  });

  it.each(PROTOCOL_ERRORS)('%s: the verdict of close code %i (fatal)', (errorCode, closeCode) => {
    const verdict = classify({ kind: 'error', errorCode, message: 'x' });
    expect(verdict).toBe(classifyCloseCode(closeCode));
    expect(verdict).toBe('fatal');
  });

  it('other error codes retry; prototype names are not table rows', () => {
    for (const errorCode of ['ECONNRESET', 'constructor', 'toString', '__proto__', 'WS_ERR_SOMETHING_NEW']) {
      expect(classify({ kind: 'error', errorCode, message: 'x' })).toBe('retryable');
    }
  });
});
