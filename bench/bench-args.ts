/**
 * The command line of `npm run bench` (bench/run.ts): `--quick` and `--only <section>[,<section>]`.
 * Pure, so that its refusals are tested (test/bench/bench-args.test.ts) without running a benchmark.
 */

/** The sections of `npm run bench`, as `--only` names them (bench/run.ts runs them in its own order). */
export const BENCH_SECTIONS = ['echo', 'datapath', 'scale', 'actors', 'resume', 'outage', 'storm'] as const;

/** One section of `npm run bench`. */
export type BenchSection = (typeof BENCH_SECTIONS)[number];

/** What the command line asks of `npm run bench`. */
export interface BenchArgs {
  /** One short round of each section: for trying the harness, not for the record. */
  quick: boolean;
  /** The sections named by `--only` (each once, in the order of {@link BENCH_SECTIONS}), or `null`
   * for all of them. A run with `--only` never rewrites BENCHMARKS.md nor docs/bench-storm.svg. */
  only: BenchSection[] | null;
}

/** What run.ts hands a section's `run…Bench` function: the run's `--quick` and where to log. */
export interface BenchSectionOptions {
  quick: boolean;
  log: (line: string) => void;
}

const isSection = (name: string): name is BenchSection =>
  (BENCH_SECTIONS as readonly string[]).includes(name);

/** Reads the arguments after `npm run bench --` (`--quick`, `--only a,b`, `--only=a,b`; `--only` may
 * be given more than once). Throws on an unknown argument, a missing `--only` value, or an unknown
 * section, naming it and the valid ones. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let quick = false;
  let named: string[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--quick') {
      quick = true;
      continue;
    }
    let value: string | undefined;
    if (arg === '--only') {
      value = argv[++i];
      if (value === undefined || value.startsWith('--'))
        throw new Error(
          `--only needs a section: one or more of ${BENCH_SECTIONS.join(', ')}, comma-separated`,
        );
    } else if (arg.startsWith('--only=')) {
      value = arg.slice('--only='.length);
    } else {
      throw new Error(
        `unknown argument '${arg}' (npm run bench -- [--quick] [--only <section>[,<section>]])`,
      );
    }
    const names = value.split(',').map((name) => name.trim());
    if (names.some((name) => name === ''))
      throw new Error(`--only '${value}': an empty section name (valid: ${BENCH_SECTIONS.join(', ')})`);
    named = [...(named ?? []), ...names];
  }
  if (named === null) return { quick, only: null };
  const unknown = named.filter((name) => !isSection(name));
  if (unknown.length > 0)
    throw new Error(
      `unknown bench section${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `'${name}'`).join(', ')} (valid: ${BENCH_SECTIONS.join(', ')})`,
    );
  return { quick, only: BENCH_SECTIONS.filter((section) => named.includes(section)) };
}
