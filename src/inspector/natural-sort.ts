/**
 * Natural order of actor ids: runs of digits compare as numbers, so `link:l2` comes before
 * `link:l10` and `link:db/2` before `link:db/10`. Used by the server (the order of `hello`) and
 * by the page's list (inserting new actors in place).
 */
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

/**
 * Compares names in natural order (`l2` before `l10`), as the inspector's actor list sorts them.
 */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Where `id` goes in `sorted` (already in natural order) to keep it so. */
export function naturalIndex(sorted: readonly string[], id: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (naturalCompare(sorted[mid] as string, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
