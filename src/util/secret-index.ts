/**
 * Many links' secrets by their first characters (the supervisor's error scrub,
 * src/runtime/supervisor-secrets.ts): a text is compared with the few secrets whose start it
 * holds, not with each of them, so one error costs its length, not secrets × length. Kept up to
 * date as lists come and go (add, remove: linear in the list), not rebuilt.
 */

/** Characters a secret is looked up by: replaceEach's shortest start of a secret cut short (the
 * text must hold at least these of it). */
export const HEAD_CHARS = 8;

/** Secrets by their first HEAD_CHARS characters (a shorter one: whole), each counted once for
 * every list that holds it: removing a list removes a secret only when no other list holds it. */
export class HeadIndex {
  private readonly heads = new Map<string, string[]>();
  private readonly counts = new Map<string, number>();

  /** The distinct secrets whose first HEAD_CHARS characters are `head` (a shorter one: whole). */
  get(head: string): readonly string[] | undefined {
    return this.heads.get(head);
  }

  /** Counts `list`'s secrets in (linear in its length). */
  add(list: readonly string[]): void {
    for (const secret of list) {
      const count = this.counts.get(secret);
      this.counts.set(secret, (count ?? 0) + 1);
      if (count) continue;
      const head = secret.slice(0, HEAD_CHARS);
      this.heads.get(head)?.push(secret) ?? this.heads.set(head, [secret]);
    }
  }

  /** Counts `list`'s secrets out (each added before): one no list holds any more goes. */
  remove(list: readonly string[]): void {
    for (const secret of list) {
      const count = this.counts.get(secret) ?? 0;
      if (count === 0) continue;
      if (count > 1) {
        this.counts.set(secret, count - 1);
        continue;
      }
      this.counts.delete(secret);
      const head = secret.slice(0, HEAD_CHARS);
      const same = this.heads.get(head) ?? [];
      same.splice(same.indexOf(secret), 1);
      if (same.length === 0) this.heads.delete(head);
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
