/**
 * Where the docs list the states a link reports (`link.state`, `useLinkState`), they list every
 * one: LINK_STATES is checked against the LinkStateName type at compile time. A list that missed
 * `coolingDown` and `rejoining` (and `disconnected`, `resuming`) let an exhaustive `switch` over
 * `useLinkState(link)` written from the docs fall through on a link restarted by its intensity.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINK_STATES } from '../../src/otel/attribute-values.js';
import { ROOT, readDoc } from './markdown.js';

/** The paragraph (lines up to a blank line) of `text` that starts on the line holding `marker`. */
function paragraphAt(text: string, marker: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.includes(marker));
  expect(start, `no line with ${marker}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, i) => i > start && line.trim() === '');
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
}

describe('lists of link states in the docs', () => {
  it.each([
    ['README.md', '`link.state` is one of'],
    ['docs/lifecycle.md', '`link.state` is the leaf name'],
    ['docs/react.md', '| `useLinkState(link)` |'],
  ])('%s names every state', (file, marker) => {
    const paragraph = paragraphAt(readDoc(file), marker);
    expect(LINK_STATES.filter((state) => !paragraph.includes(`\`${state}\``))).toEqual([]);
  });

  it("useLinkState's TSDoc names every state", () => {
    const source = readFileSync(path.join(ROOT, 'src/react/use-link-state.ts'), 'utf8');
    const header = source.slice(0, source.indexOf('*/'));
    expect(LINK_STATES.filter((state) => !new RegExp(`\\b${state}\\b`).test(header))).toEqual([]);
  });
});
