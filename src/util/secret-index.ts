/**
 * Many links' secrets by their first characters (the supervisor's error scrub,
 * src/runtime/supervisor-secrets.ts): a text is compared with the few secrets whose start it
 * holds, not with each of them, so one error costs its length, not secrets × length.
 */

/** Characters a secret is looked up by: replaceEach's shortest start of a secret cut short (the
 * text must hold at least these of it). */
export const HEAD_CHARS = 8;

/** Every secret of `lists` by its first HEAD_CHARS characters (a shorter one: whole); linear in
 * their number. */
export function headIndex(lists: readonly (readonly string[])[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const list of lists)
    for (const secret of list) {
      const head = secret.slice(0, HEAD_CHARS);
      index.get(head)?.push(secret) ?? index.set(head, [secret]);
    }
  return index;
}
