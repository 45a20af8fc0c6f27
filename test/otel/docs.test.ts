/**
 * docs/otel.md stays true: its metrics table lists exactly the metrics linkvisor/otel creates,
 * with their units, and the README links to it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { METRICS } from '../../src/otel/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('docs/otel.md', () => {
  it('the metrics table lists every metric with its unit, and nothing else', async () => {
    const doc = await readFile(path.join(ROOT, 'docs/otel.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `(linkvisor\.[a-z_.]+)` \| [^|]+ \| `([^`]+)` \|/gm)].map((m) => [
      m[1],
      m[2],
    ]);
    const expected = Object.values(METRICS).map((metric) => [metric.name, metric.unit]);
    expect(rows.sort()).toEqual(expected.sort());
  });

  it('is linked from the README', async () => {
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('(docs/otel.md)');
  });
});
