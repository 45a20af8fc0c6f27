/**
 * docs/react.md shows a component a reader takes in at a glance: one ```tsx block, at most 15
 * lines of component (the imports aside), importing `linkvisor/react`. That it type-checks against
 * the sources is test/docs/code-blocks.test.ts's job (every block of every page).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('docs/react.md', () => {
  it('shows a component of at most 15 lines (imports aside)', () => {
    const page = readFileSync(path.join(ROOT, 'docs', 'react.md'), 'utf8');
    const blocks = [...page.matchAll(/^```tsx\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
    expect(blocks).toHaveLength(1);
    const block = blocks[0] as string;
    const component = block
      .trimEnd()
      .split('\n')
      .filter((line) => !line.startsWith('import ') && line.trim() !== '');
    expect(component.length).toBeLessThanOrEqual(15);
    expect(block).toMatch(/from 'linkvisor\/react'/);
  });
});
