/**
 * The relative links of README.md, CONTRIBUTING.md and docs/*.md lead somewhere: every linked file
 * exists and every `#anchor` is a heading of the page it names (GitHub's anchors). Links into
 * docs/api/ are to the generated API reference (`npm run docs:api`), which is not committed.
 * CONTRIBUTING.md's source map names only folders and files that exist.
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
