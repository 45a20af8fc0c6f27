/**
 * A credential is hidden in a trace by its value's shape too, not only by its header's name
 * (docs/errors.md: "any header whose value is an auth scheme's credential, `Bearer …`, or a JWT,
 * whatever its name"): in the supervisor's options the trace's header records (which no link's
 * secrets cover) and in a link's own options, `headers` and `wsOptions.headers` alike.
 */
import { describe, expect, it } from 'vitest';
import { recordSession } from '../../src/trace/record-session.js';
import { formatTrace } from '../../src/trace/trace-format.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const UPSTREAM = 'up-secret-7Hq2Lm9';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0cmFjZSJ9.c2lnbmF0dXJlLXRyYWNl';
const LINK_TOKEN = 'link-token-4Rw8Pz';
const LINK_JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsaW5rIn0.bGluay1zaWduYXR1cmU';

describe('integration: credential-shaped header values in traces', () => {
  const h = useHarness();

  it('Bearer/Token values and JWTs under harmless header names never reach the trace', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({
      ...FAST,
      headers: { 'X-Upstream': `Bearer ${UPSTREAM}` },
      wsOptions: { headers: { 'X-Forwarded-Assertion': JWT } },
    });
    const recorder = recordSession(supervisor);
    const link = supervisor.connect(`${server.url}/feed`, {
      headers: { 'X-Relay': `Token ${LINK_TOKEN}` },
      wsOptions: { headers: { 'X-Origin-Assertion': LINK_JWT } },
    });
    await link.ready();
    await link.close();
    await waitFor(() => link.state === 'closed', { timeoutMs: 10_000, message: 'the link closed' });
    const text = formatTrace(recorder.stop());
    const found = [UPSTREAM, JWT, LINK_TOKEN, LINK_JWT].filter((secret) => text.includes(secret));
    expect(found).toEqual([]);
    // The trace did record the options (their names readable, their values hidden).
    expect(text).toContain('"X-Upstream":"[redacted]"');
    expect(text).toContain('"X-Forwarded-Assertion":"[redacted]"');
  });
});

/** JOSE shapes with an empty part: a JWE with `dir` (no encrypted key) and a JWS whose payload is
 * detached; before, neither was seen as a JWT (`eyJ….` then a non-empty part was required). */
const JWE_CIPHERTEXT = '5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TAL';
const JWE_DIR = `eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..48V1_ALb6US04U3b.${JWE_CIPHERTEXT}.XFBoMYUZodetZdvTiFvSkQ`;
const DETACHED_SIGNATURE = 'ZGV0YWNoZWQtc2lnbmF0dXJl';
const JWS_DETACHED = `eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2V9..${DETACHED_SIGNATURE}`;

describe('integration: JOSE values with an empty part in traces', () => {
  const h = useHarness();

  it('a JWE (dir) and a detached JWS under harmless header names never reach the trace', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({
      ...FAST,
      headers: { 'X-Upstream': JWE_DIR },
      wsOptions: { headers: { 'X-Content-Proof': JWS_DETACHED } },
    });
    const recorder = recordSession(supervisor);
    const link = supervisor.connect(`${server.url}/feed`);
    await link.ready();
    await link.close();
    await waitFor(() => link.state === 'closed', { timeoutMs: 10_000, message: 'the link closed' });
    const text = formatTrace(recorder.stop());
    expect(text).not.toContain(JWE_CIPHERTEXT);
    expect(text).not.toContain(DETACHED_SIGNATURE);
    expect(text).toContain('"X-Upstream":"[redacted]"');
    expect(text).toContain('"X-Content-Proof":"[redacted]"');
  });
});
