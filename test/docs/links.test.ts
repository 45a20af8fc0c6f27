/**
 * The relative links of README.md, CONTRIBUTING.md and docs/*.md lead somewhere: every linked file
 * exists and every `#anchor` is a heading of the page it names (GitHub's anchors). Links into
 * docs/api/ are to the generated API reference (`npm run docs:api`), which is not committed.
 * CONTRIBUTING.md's source map names only folders and files that exist, and so does every path
 * from the repository's root a page names (`test/runtime/…test.ts`); every page of docs/ is in the
 * README's documentation table.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchors, docFiles, proseOf, ROOT, readDoc } from './markdown.js';

/** Every `[text](target)` / `![alt](target)` outside code blocks and inline code, with its line. */
function links(text: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  proseOf(text)
    .split('\n')
    .forEach((line, index) => {
      for (const [, target] of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
        out.push({ target: target as string, line: index + 1 });
      }
    });
  return out;
}

/** A path from the repository's root as the docs write one (`test/docs/links.test.ts`), not one
 * under another folder (`dist/src/…`, a build output). */
const REPOSITORY_PATH =
  /(?<![\w./-])((?:test|src|machines|scripts|bench|examples|bin|docs)\/[\w./-]+\.(?:ts|tsx|mjs|js|json|md|svg|png))\b/g;
/** Files a page names as history, which have been renamed or split since. */
const RENAMED_SINCE = new Set(['test/machines/connection.pure.test.ts']);

/** Where a relative link from `file` leads, and whether it must resolve now. */
function check(file: string, target: string): string | null {
  if (/^[a-z]+:/i.test(target)) return null; // http(s), mailto: not checked here
  const [rawPath = '', anchor] = target.split('#');
  const resolved =
    rawPath === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), rawPath));
  if (resolved.startsWith('docs/api/') || resolved === 'docs/api') return null;
  if (!existsSync(path.join(ROOT, resolved))) return `${target}: ${resolved} does not exist`;
  if (anchor && resolved.endsWith('.md') && !anchors(readDoc(resolved)).has(anchor)) {
    return `${target}: ${resolved} has no heading #${anchor}`;
  }
  return null;
}

describe('links in README.md, CONTRIBUTING.md and docs/*.md', () => {
  it('lead to files and headings that exist', () => {
    const broken: string[] = [];
    let count = 0;
    for (const file of docFiles()) {
      for (const { target } of links(readDoc(file))) {
        count++;
        const problem = check(file, target);
        if (problem) broken.push(`${file}: ${problem}`);
      }
    }
    expect(broken).toEqual([]);
    expect(count).toBeGreaterThan(50);
  });

  it('the check sees a missing file and a missing heading', () => {
    expect(check('docs/faq.md', 'nothing-here.md')).toMatch(/does not exist/);
    expect(check('docs/faq.md', 'lifecycle.md#no-such-heading')).toMatch(/no heading #no-such-heading/);
    expect(check('README.md', 'docs/lifecycle.md#close-classification')).toBeNull();
    expect(check('docs/links.md', '#supervisorconnecturl-options')).toBeNull();
  });

  it('the README stays under 300 lines and opens with the promise, install and quick start', () => {
    const readme = readDoc('README.md');
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings.slice(0, 3)).toEqual(['Quick start', 'The lifecycle', 'Features']);
    expect(readme).toMatch(/^```sh\nnpm install linkvisor xstate\n```$/m);
  });

  it("every page of docs/ is in the README's documentation table", () => {
    const readme = readDoc('README.md');
    const table = readme.slice(readme.indexOf('## Documentation'), readme.indexOf('## License'));
    const pages = docFiles().filter((file) => file.startsWith('docs/'));
    expect(pages.filter((page) => !table.includes(`](${page})`))).toEqual([]);
  });

  it('every file of the repository the docs name by its path exists', () => {
    const named: string[] = [];
    let read = 0;
    for (const file of docFiles()) {
      for (const [, name] of proseOf(readDoc(file)).matchAll(REPOSITORY_PATH)) {
        read++;
        if (!existsSync(path.join(ROOT, name as string)) && !RENAMED_SINCE.has(name as string)) {
          named.push(`${file}: ${name}`);
        }
      }
    }
    expect(named).toEqual([]);
    // The docs name some 240 paths: a pattern that stopped matching would check none of them.
    expect(read).toBeGreaterThan(100);
    expect('see test/docs/links.test.ts and dist/src/x.js'.match(REPOSITORY_PATH)).toEqual([
      'test/docs/links.test.ts',
    ]);
  });

  it("CONTRIBUTING.md's source map names only folders and files that exist", () => {
    const text = readDoc('CONTRIBUTING.md');
    const map = text.slice(text.indexOf('## Source map'));
    expect(map.length).toBeGreaterThan(500);
    const files = (dir: string): string[] =>
      readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? files(`${dir}/${entry.name}`) : [`${dir}/${entry.name}`],
      );
    const known = [...files('src'), ...files('machines'), 'bin/linkvisor.js'];
    const named = [...map.matchAll(/`([\w./-]+)`/g)].map((m) => m[1] as string);
    const missing = named.filter((name) => {
      if (name.endsWith('/')) return !existsSync(path.join(ROOT, name));
      if (!/\.(ts|js)$/.test(name)) return false;
      return !known.some((file) => file === name || file.endsWith(`/${name}`));
    });
    expect(named.length).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });
});
