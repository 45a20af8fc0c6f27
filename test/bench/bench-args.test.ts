/**
 * The command line of `npm run bench` (bench/bench-args.ts): `--quick`, `--only <section>[,…]`,
 * and the refusals that keep a typo from starting the whole 7-minute run (or a run that rewrites
 * BENCHMARKS.md when one section was meant). Pure: no benchmark runs here.
 */
import { describe, expect, it } from 'vitest';
import { BENCH_SECTIONS, parseBenchArgs } from '../../bench/bench-args.js';

describe('parseBenchArgs', () => {
  it('runs every section, for the record, with no arguments', () => {
    expect(parseBenchArgs([])).toEqual({ quick: false, only: null });
  });

  it('reads --quick', () => {
    expect(parseBenchArgs(['--quick'])).toEqual({ quick: true, only: null });
  });

  it('reads --only with one section, or several comma-separated, in either spelling', () => {
    expect(parseBenchArgs(['--only', 'storm'])).toEqual({ quick: false, only: ['storm'] });
    expect(parseBenchArgs(['--only=datapath,echo'])).toEqual({ quick: false, only: ['echo', 'datapath'] });
    expect(parseBenchArgs(['--quick', '--only', 'outage, resume'])).toEqual({
      quick: true,
      only: ['resume', 'outage'],
    });
  });

  it('names each section once, in the order of BENCH_SECTIONS, however often and in whatever order given', () => {
    expect(parseBenchArgs(['--only', 'storm,echo', '--only', 'echo,scale'])).toEqual({
      quick: false,
      only: ['echo', 'scale', 'storm'],
    });
    expect(parseBenchArgs(['--only', [...BENCH_SECTIONS].reverse().join(',')]).only).toEqual([
      ...BENCH_SECTIONS,
    ]);
  });

  it('refuses an unknown section, naming it and listing the valid ones', () => {
    expect(() => parseBenchArgs(['--only', 'echo,strom'])).toThrow(
      "unknown bench section 'strom' (valid: echo, datapath, scale, actors, resume, outage, storm)",
    );
    expect(() => parseBenchArgs(['--only=lean,Echo'])).toThrow(
      /unknown bench sections 'lean', 'Echo' \(valid: /,
    );
  });

  it('refuses --only without a section', () => {
    expect(() => parseBenchArgs(['--only'])).toThrow(/--only needs a section: one or more of echo, datapath/);
    expect(() => parseBenchArgs(['--only', '--quick'])).toThrow(/--only needs a section/);
    expect(() => parseBenchArgs(['--only='])).toThrow(/an empty section name/);
    expect(() => parseBenchArgs(['--only', 'echo,'])).toThrow(/an empty section name/);
  });

  it('refuses an unknown argument rather than running everything', () => {
    expect(() => parseBenchArgs(['--quik'])).toThrow("unknown argument '--quik'");
    expect(() => parseBenchArgs(['storm'])).toThrow("unknown argument 'storm'");
  });
});
