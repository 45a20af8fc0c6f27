/**
 * The secrets of one link (SecretSet), kept for its last few URL-and-headers combinations.
 */
import { replaceEach } from './redact-text.js';
import { secretsOf } from './secrets-of.js';

/** URL-and-headers combinations whose secrets a link keeps: a per-attempt URL with a fresh
 * token each time must not grow the set (and the cost of every redaction) for ever; a socket
 * only ever quotes what its own attempt sent. */
const KEPT_SOURCES = 8;
const NO_SECRETS: readonly string[] = Object.freeze([]);
/** Changes of any SecretSet's secrets so far (every set's): a list built from many sets (the
 * supervisor's scrub, ../runtime/supervisor-secrets.ts) is walked again only when it changed. */
export let secretSetChanges = 0;
/** The sets of the last JOURNAL_SIZE changes (change n at n % JOURNAL_SIZE), held weakly (a
 * closed link's set is not kept by it): a list built from many sets updates those alone. */
const JOURNAL_SIZE = 64;
const journal: (WeakRef<SecretSet> | undefined)[] = [];

/** The sets whose secrets changed since `since` (an earlier secretSetChanges), one per change
 * (undefined: collected since), or null when more changed than the last JOURNAL_SIZE. */
export function changedSince(since: number): (SecretSet | undefined)[] | null {
  if (secretSetChanges - since > JOURNAL_SIZE) return null;
  const changed: (SecretSet | undefined)[] = [];
  for (let n = since; n < secretSetChanges; n++) changed.push(journal[n % JOURNAL_SIZE]?.deref());
  return changed;
}

/**
 * The secrets of one link, in every form, longest first (a form that contains another is
 * replaced whole), from the last KEPT_SOURCES distinct URL-and-headers combinations. Adding is
 * linear in what is added; re-adding the same URL and headers (every attempt does) costs a
 * lookup.
 */
export class SecretSet {
  /** Secrets by source, oldest first; made when the first source with a secret comes (most
   * links never have one: no map for them, and no key to build per attempt). */
  private sources: Map<string, string[]> | null = null;
  /** The last URL without secrets and without headers (re-added by every attempt). */
  private plain: string | undefined = undefined;
  private sorted: readonly string[] = NO_SECRETS;

  /** Adds the secrets of a URL (user info, query values) and of auth-like headers; `known`: the
   * URL's secrets (secretsOf), its headers' and subprotocols' (src/runtime/attempt-headers.ts), as
   * an attempt finds them (they tell sources apart too: a per-attempt subprotocol changes them
   * alone); omitted, the URL's are found here (headers then only tell sources apart). */
  addFrom(url: string | undefined, headers?: Record<string, string>, known?: readonly string[]): void {
    if (this.sources === null) {
      if (headers === undefined && url === this.plain && url !== undefined) return;
      const secrets = known ?? secretsOf(url);
      if (secrets.length === 0) {
        if (headers === undefined) this.plain = url;
        return;
      }
      this.sources = new Map();
    }
    const source = JSON.stringify([url, headers ?? null, known ?? null]);
    const seen = this.sources.get(source);
    this.sources.delete(source);
    this.sources.set(source, seen ?? (known ? [...known] : secretsOf(url)));
    if (seen) return;
    for (const oldest of this.sources.keys()) {
      if (this.sources.size <= KEPT_SOURCES) break;
      this.sources.delete(oldest);
    }
    const all = new Set<string>();
    for (const secrets of this.sources.values()) for (const secret of secrets) all.add(secret);
    this.sorted = [...all].sort((a, b) => b.length - a.length);
    journal[secretSetChanges++ % JOURNAL_SIZE] = new WeakRef(this);
  }

  /** How many distinct secret strings (forms included) are scrubbed. */
  get size(): number {
    return this.sorted.length;
  }

  /** Every secret string (forms included), longest first. */
  list(): readonly string[] {
    return this.sorted;
  }

  /** Free text with every known form of every secret replaced. */
  redact(text: string): string {
    return replaceEach(text, this.sorted);
  }
}
