/**
 * A hello's lookups of its two session ids (./session-lookup.ts) and, with a store that claims
 * (its `claimOwned`: ./session-store.ts), the claim of the stored session it names, before the
 * hello is answered: the record is written marked as this server's only while it is still the
 * write the lookup read. Refused (another server sharing the store wrote the session since, or
 * ended it), the hello is looked up again and answered from what the store holds now (the newer
 * record, replayed; none, a reset), up to `SESSION_CLAIM_TRIES` lookups (machines/policy/resume.ts);
 * after as many refusals the hello is `busy` (its socket closed with 1013: its link keeps the
 * session and tries again after its backoff). Never a loop without bound between two servers.
 *
 * Owns: nothing (a function). Does not own: the lookups, the claim (./session-writes.ts), or what
 * the server does with the answer (./resumable.ts).
 */
import { SESSION_CLAIM_TRIES } from '../../machines/policy/session-claim.js';
import type { HelloRequest, Known } from '../resume/answer-hello.js';
import type { ResumeStream } from '../resume/resume-stream.js';

/** What a hello found: each id's lookup, and whether the named session's record was claimed (the
 * store wrote it: a session must hold it even if the socket has gone meanwhile); or `busy`. */
export type HelloFound = { named: Known; started: Known; claimed: boolean } | 'busy';

/** The claims of the server (./session-writes.ts). */
export interface HelloClaims {
  /** Whether `known` must be claimed before the hello is answered. */
  claims(known: unknown): known is ResumeStream;
  /** `closing()`: the server's close() has begun (a claim landing then is given back at once). */
  claim(id: string, stream: ResumeStream, closing: () => boolean): Promise<'claimed' | 'refused' | 'failed'>;
}

/** `hello`'s lookups and claim (see the file's header); `wanted()`: the hello still waits for its
 * answer (its socket open, the server not closing): no claim is made for one that does not;
 * `closing()`: the server's close() has begun. */
export async function lookUpClaimed(
  hello: HelloRequest,
  lookup: (id: string) => Promise<Known>,
  claims: HelloClaims,
  wanted: () => boolean,
  closing: () => boolean,
): Promise<HelloFound> {
  for (let tried = 1; ; tried++) {
    const [named, started] = await Promise.all([lookup(hello.sessionId), lookup(hello.newId)]);
    if (!claims.claims(named) || !wanted()) return { named, started, claimed: false };
    const claim = await claims.claim(hello.sessionId, named, closing);
    if (claim !== 'refused') return { named, started, claimed: claim === 'claimed' };
    if (tried >= SESSION_CLAIM_TRIES || !wanted()) return 'busy';
  }
}
