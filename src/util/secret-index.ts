/**
 * Many links' secrets by their first characters (the supervisor's error scrub,
 * src/runtime/supervisor-secrets.ts): a text is compared with the few secrets whose start it
 * holds, not with each of them, so one error costs its length, not secrets × length. Kept up to
 * date as lists come and go (add, remove: linear in the list), not rebuilt.
 */

/** Characters a secret is looked up by: replaceEach's shortest start of a secret cut short (the
 * text must hold at least these of it). */
export const HEAD_CHARS = 8;

/** Characters of a secret's start a text is first checked for (the shortest secret kept:
 * ./secret-forms.ts): most places in a text start no secret, and cost one look-up, not one for
 * each length up to HEAD_CHARS. */
export const START_CHARS = 3;

/** Distinct secrets a head keeps in an array; more (a head many secrets share: `Bearer%2`, the
 * base64 of `Bearer `), in a Set, so that removing one is not linear in how many share it. */
const ARRAY_MAX = 16;

/** Adds `by` to `key`'s count in `counts` (absent: 0; kept while above 0); the count now (-1: it
 * was absent). */
export function tally<K>(counts: Map<K, number>, key: K, by: 1 | -1): number {
  const count = (counts.get(key) ?? 0) + by;
  if (count > 0) counts.set(key, count);
  else counts.delete(key);
  return count;
}

/** Secrets by their first HEAD_CHARS characters (a shorter one: whole), each counted once for
 * every list that holds it: removing a list removes a secret only when no other list holds it. */
export class HeadIndex {
  private readonly heads = new Map<string, string[] | Set<string>>();
  private readonly counts = new Map<string, number>();
  /** How many of its distinct secrets start with each START_CHARS characters. */
  private readonly starts = new Map<string, number>();

  /** Whether a secret it holds may start at `at` in `text` (its first START_CHARS characters do). */
  startsAt(text: string, at: number): boolean {
    return this.starts.has(text.slice(at, at + START_CHARS));
  }

  /** The distinct secrets whose first HEAD_CHARS characters are `head` (a shorter one: whole). */
  get(head: string): Iterable<string> | undefined {
    return this.heads.get(head);
  }

  /** Counts `list`'s secrets in (linear in its length). */
  add(list: readonly string[]): void {
    for (const secret of list) {
      if (tally(this.counts, secret, 1) > 1) continue;
      const head = secret.slice(0, HEAD_CHARS);
      const same = this.heads.get(head);
      if (!same) this.heads.set(head, [secret]);
      else if (same instanceof Set) same.add(secret);
      else if (same.push(secret) > ARRAY_MAX) this.heads.set(head, new Set(same));
      tally(this.starts, secret.slice(0, START_CHARS), 1);
    }
  }

  /** Counts `list`'s secrets out (each added before): one no list holds any more goes. */
  remove(list: readonly string[]): void {
    for (const secret of list) {
      // Still held (or never: -1).
      if (tally(this.counts, secret, -1)) continue;
      const head = secret.slice(0, HEAD_CHARS);
      const same = this.heads.get(head) as string[] | Set<string>;
      if (same instanceof Set) same.delete(secret);
      else same.splice(same.indexOf(secret), 1);
      if (!(same instanceof Set ? same.size : same.length)) this.heads.delete(head);
      tally(this.starts, secret.slice(0, START_CHARS), -1);
    }
  }

  /** How many distinct secrets it holds. */
  get size(): number {
    return this.counts.size;
  }
}

/** An index of every secret of `lists` (distinct lists: one held by several links is given once);
 * linear in their number. */
export function headIndex(lists: readonly (readonly string[])[]): HeadIndex {
  const index = new HeadIndex();
  for (const list of lists) index.add(list);
  return index;
}
