/**
 * Many links' secrets by their first characters (the supervisor's error scrub,
 * src/runtime/supervisor-secrets.ts): a text is compared with the few secrets whose start it
 * holds, not with each of them, so one error costs its length, not secrets × length.
 */

/** Characters a secret is looked up by: replaceEach's shortest start of a secret cut short (the
 * text must hold at least these of it). */
const HEAD_CHARS = 8;
/** Shortest secret a link keeps (./secret-forms.ts). */
const MIN_SECRET_CHARS = 3;

/** The secrets of some lists, found by their start. */
export interface SecretIndex {
  /** The secrets (longest first) that `texts` hold whole, or that one of them ends with the start
   * of (cut short, maybe then `…` or `...`). */
  found(...texts: string[]): string[];
}

/** The index of every secret of `lists` by its first HEAD_CHARS characters (a shorter one: whole):
 * linear in their number; a list given twice (links sharing one) is read once. */
export function headIndex(lists: Iterable<readonly string[]>): SecretIndex {
  const index = new Map<string, string[]>();
  for (const list of new Set(lists))
    for (const secret of list) {
      const head = secret.length > HEAD_CHARS ? secret.slice(0, HEAD_CHARS) : secret;
      index.get(head)?.push(secret) ?? index.set(head, [secret]);
    }
  return {
    found(...texts) {
      const found = new Set<string>();
      for (const shown of texts)
        for (let at = 0; at < shown.length; at++) {
          // What is left of the text from `at`, without a closing `…` or `...`: a secret cut short
          // by the end of the text starts with it (made once a place, and only near the end).
          let rest: string | undefined;
          for (let length = MIN_SECRET_CHARS; length <= HEAD_CHARS; length++)
            for (const secret of index.get(shown.slice(at, at + length)) ?? []) {
              if (shown.startsWith(secret, at)) found.add(secret);
              else if (shown.length - at <= secret.length + 3) {
                rest ??= shown.slice(at).replace(/…$|\.{3}$/, '');
                if (secret.startsWith(rest)) found.add(secret);
              }
            }
        }
      return [...found].sort((a, b) => b.length - a.length);
    },
  };
}
