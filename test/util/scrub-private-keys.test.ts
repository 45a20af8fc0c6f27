/**
 * A secret split across line breaks: a PEM private key (PKCS#8, RSA, EC, OpenSSH, PGP) is lines of
 * base64 between its BEGIN and END lines. scrubCredentials showed every body line but the piece a
 * path rule caught (round 41 review): in an error quoting a TLS option, as a JSON field, alone on
 * its lines. Now the block goes whole, its BEGIN line's label kept; a key cut short (no END line)
 * goes to the end of its base64. A certificate (public) stays.
 */
import { describe, expect, it } from 'vitest';
import { scrubCredentials } from '../../src/util/scrub-credentials.js';

const BODY = [
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
  'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu',
  'NMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s+CLOyS56YyCFGeJZ',
];
const pem = (label: string) => `-----BEGIN ${label}-----\n${BODY.join('\n')}\n-----END ${label}-----`;

describe('a PEM private key is redacted whole, across its lines', () => {
  for (const label of ['PRIVATE KEY', 'RSA PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'PGP PRIVATE KEY BLOCK'])
    for (const text of [
      `TLS error: key: '${pem(label)}' rejected`,
      `options {"key":${JSON.stringify(pem(label))}} rejected`,
      `bad key\n${pem(label)}\nnext line ok`,
      `bad key\r\n${pem(label).replaceAll('\n', '\r\n')}\r\nnext line ok`,
    ])
      it(`${label}: ${JSON.stringify(text.slice(0, 24))}`, () => {
        const out = scrubCredentials(text);
        for (const line of BODY) expect(out).not.toContain(line.slice(20, 36));
        expect(out).toContain('[redacted]');
      });

  it('the text around it stays; a certificate stays', () => {
    const cert = pem('CERTIFICATE');
    expect(scrubCredentials(`bad key\n${pem('PRIVATE KEY')}\nnext line ok`)).toBe(
      'bad key\n-----BEGIN PRIVATE KEY-----[redacted]\nnext line ok',
    );
    expect(scrubCredentials(`chain\n${cert}\nok`)).toContain(`-----BEGIN CERTIFICATE-----\n${BODY[0]}`);
  });

  it('a key cut short (no END line) is hidden to the end of its base64', () => {
    const cut = `-----BEGIN PRIVATE KEY-----\n${BODY[0]}\n${BODY[1]?.slice(0, 30)}`;
    const out = scrubCredentials(`got ${cut}`);
    for (const line of BODY) expect(out).not.toContain(line.slice(20, 36));
  });
});
