/**
 * docs/lifecycle.md's close classification is machines/policy/close-reason.ts's table: every close
 * code and HTTP status the policy lists is in the row of its verdict, and in no other row, and every
 * one a row names is one the policy gives that verdict (an application code `4000–4999`, too). Before
 * (round 28) the page had no `refresh` row: HTTP 401 and close 3000 stood among the fatal ones,
 * although a link with a per-attempt URL or header function gets one fresh attempt for them.
 */
import { describe, expect, it } from 'vitest';
import {
  CLOSE_CODE_VERDICTS,
  classifyCloseCode,
  classifyHttpStatus,
  HTTP_STATUS_VERDICTS,
  type Verdict,
} from '../../machines/policy/close-reason.js';
import { readDoc } from './markdown.js';

/** The `what` cell of each row of the table headed `| verdict | what | action |`, by verdict. */
function rows(text: string): Map<string, string> {
  const lines = text.split('\n');
  const start = lines.indexOf('| verdict | what | action |');
  expect(start, 'no close table').toBeGreaterThanOrEqual(0);
  const out = new Map<string, string>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [verdict = '', what = ''] = line.split(' | ').map((cell) => cell.replace(/^\| /, ''));
    out.set(verdict, what);
  }
  return out;
}

/** The close codes and the HTTP statuses a `what` cell names (the statuses follow the word HTTP). */
function named(what: string): { codes: Set<number>; statuses: Set<number> } {
  const at = what.indexOf('HTTP ');
  const before = at === -1 ? what : what.slice(0, at);
  const after =
    at === -1 ? '' : what.slice(at, what.indexOf(';', at) === -1 ? undefined : what.indexOf(';', at));
  const numbers = (text: string) => new Set([...text.matchAll(/\b(\d{3,4})\b/g)].map((m) => Number(m[1])));
  return { codes: numbers(before), statuses: numbers(after) };
}

/** Where a table of `what` cells puts each code and status: the verdicts whose row names it. */
function placed(table: Map<string, string>) {
  const codes = new Map<number, string[]>();
  const statuses = new Map<number, string[]>();
  for (const [verdict, what] of table) {
    const found = named(what);
    for (const code of found.codes) codes.set(code, [...(codes.get(code) ?? []), verdict]);
    for (const status of found.statuses) statuses.set(status, [...(statuses.get(status) ?? []), verdict]);
  }
  return { codes, statuses };
}

/** What the docs say of each code and status the policy lists, against what the policy says. */
function disagreements(table: Map<string, string>): string[] {
  const { codes, statuses } = placed(table);
  const out: string[] = [];
  for (const [code, verdict] of Object.entries(CLOSE_CODE_VERDICTS) as [string, Verdict][]) {
    const rowsOf = codes.get(Number(code)) ?? [];
    if (rowsOf.join() !== verdict)
      out.push(`close ${code}: ${verdict} in the policy, [${rowsOf}] in the docs`);
  }
  for (const status of Object.keys(HTTP_STATUS_VERDICTS).map(Number)) {
    const verdict = classifyHttpStatus(status);
    const rowsOf = statuses.get(status) ?? [];
    if (rowsOf.join() !== verdict)
      out.push(`HTTP ${status}: ${verdict} in the policy, [${rowsOf}] in the docs`);
  }
  // Every code and status a row names, listed by the policy or not (`4000–4999`, a code the policy
  // leaves to its default), is one the policy gives that row's verdict.
  for (const [code, verdicts] of codes) {
    for (const verdict of verdicts) {
      if (classifyCloseCode(code) !== verdict)
        out.push(`close ${code}: ${classifyCloseCode(code)} in the policy, ${verdict} in the docs`);
    }
  }
  for (const [status, verdicts] of statuses) {
    for (const verdict of verdicts) {
      if (classifyHttpStatus(status) !== verdict)
        out.push(`HTTP ${status}: ${classifyHttpStatus(status)} in the policy, ${verdict} in the docs`);
    }
  }
  return [...new Set(out)];
}

describe("docs/lifecycle.md's close classification", () => {
  it('puts every close code and HTTP status of the policy in the row of its verdict, and only there', () => {
    const table = rows(readDoc('docs/lifecycle.md'));
    expect([...table.keys()]).toEqual(['final', 'clean', 'retryable', 'refresh', 'fatal']);
    const { codes, statuses } = placed(table);
    expect([codes.size, statuses.size]).toEqual([20, 11]);
    expect(disagreements(table)).toEqual([]);
  });

  it('the check sees a code in the wrong row and one in two rows (a table made for the test)', () => {
    const table = new Map(rows(readDoc('docs/lifecycle.md')));
    table.set('fatal', `3000, ${table.get('fatal')}`);
    table.set('retryable', (table.get('retryable') ?? '').replace('HTTP 408, ', 'HTTP '));
    table.set('fatal', (table.get('fatal') ?? '').replace('HTTP ', 'HTTP 408, '));
    expect(disagreements(table)).toEqual([
      'close 3000: refresh in the policy, [refresh,fatal] in the docs',
      'HTTP 408: retryable in the policy, [fatal] in the docs',
      'close 3000: refresh in the policy, fatal in the docs',
      'HTTP 408: retryable in the policy, fatal in the docs',
    ]);
  });

  it('the check sees a code the policy does not list put in the wrong row', () => {
    const table = new Map(rows(readDoc('docs/lifecycle.md')));
    table.set('fatal', `4001, ${table.get('fatal')}`);
    expect(disagreements(table)).toEqual(['close 4001: retryable in the policy, fatal in the docs']);
  });
});
