/**
 * Whether a transition's guard can hold for an actor, from the guards fixed by its configuration
 * (`isInProcess: false` on a ws link): `false` when the configuration rules it out, `true` when it
 * always holds, `undefined` when it depends on something else (`shouldRetry`). Guards are read as
 * the chart prints them: names, `!`, `&&`, `||`, parentheses (machines/chart-model.ts).
 */
type Verdict = boolean | undefined;

const not = (a: Verdict): Verdict => (a === undefined ? undefined : !a);
const and = (a: Verdict, b: Verdict): Verdict =>
  a === false || b === false ? false : a === true && b === true ? true : undefined;
const or = (a: Verdict, b: Verdict): Verdict =>
  a === true || b === true ? true : a === false && b === false ? false : undefined;

export function guardVerdict(guard: string | undefined, config: Readonly<Record<string, boolean>>): Verdict {
  if (guard === undefined || guard === '') return true;
  const tokens = guard.match(/&&|\|\||[!()]|[^\s!()&|]+/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const primary = (): Verdict => {
    const token = tokens[at++];
    if (token === '!') return not(primary());
    if (token === '(') {
      const value = disjunction();
      at++; // ')'
      return value;
    }
    return token !== undefined && token in config ? config[token] : undefined;
  };
  /** `next (op next)*`, folded with `combine`: `&&` binds tighter than `||`. */
  const chain = (op: string, next: () => Verdict, combine: (a: Verdict, b: Verdict) => Verdict) => () => {
    let value = next();
    while (peek() === op) {
      at++;
      value = combine(value, next());
    }
    return value;
  };
  const conjunction = chain('&&', primary, and);
  const disjunction: () => Verdict = chain('||', conjunction, or);
  return disjunction();
}

/** A transition an actor can never take: its guard is false for it, or an earlier transition of
 * the same state and event always wins. `lines` are every transition of the chart. */
export function unreachable(
  line: { source: string; event: string; order: number; guard?: string },
  lines: readonly { source: string; event: string; order: number; guard?: string }[],
  config: Readonly<Record<string, boolean>>,
): boolean {
  if (guardVerdict(line.guard, config) === false) return true;
  return lines.some(
    (other) =>
      other.source === line.source &&
      other.event === line.event &&
      other.order < line.order &&
      guardVerdict(other.guard, config) === true,
  );
}
