/**
 * Reading the project's Markdown for the documentation tests: which files are documentation
 * (README.md, CONTRIBUTING.md, docs/*.md; not the generated docs/api/), their fenced code blocks
 * with language and attributes, and their headings as GitHub anchors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../scripts/package-entries.js';

export { packageEntries, ROOT } from '../../scripts/package-entries.js';

/** The documentation files, as paths from the repository root. */
export function docFiles(root = ROOT): string[] {
  const docs = readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', 'CONTRIBUTING.md', ...docs];
}

export function readDoc(file: string, root = ROOT): string {
  return readFileSync(path.join(root, file), 'utf8');
}

export interface CodeBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string's first word (`ts`, `sh`…), '' for none. */
  lang: string;
  /** The info string's other words (`run`…). */
  attrs: string[];
  code: string;
}

/** Every fenced block (``` or ~~~, indented or not) of a Markdown text, with its indentation removed. */
export function codeBlocks(file: string, text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)(`{3,}|~{3,})\s*(.*)$/.exec(lines[i] as string);
    if (!open) continue;
    const [, indent = '', fence = '', info = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] as string;
      if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    if (j === lines.length) throw new Error(`${file}:${i + 1}: code block never closed`);
    const [lang = '', ...attrs] = info.trim().split(/\s+/).filter(Boolean);
    blocks.push({ file, line: i + 1, lang, attrs, code: `${body.join('\n')}\n` });
    i = j;
  }
  return blocks;
}

/** The text outside code blocks (for links and inline code). */
export function proseOf(text: string): string {
  return text.replace(/^( *)(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\2[ \t]*$/gm, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a Markdown text's headings (a repeated heading gets -1, -2… as on GitHub). */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, heading] of proseOf(text).matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const base = slug(heading as string);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** A runnable block's stand-in for the server its page starts with `npx linkvisor serve`. */
export const PLACEHOLDER_URL = /ws:\/\/127\.0\.0\.1:8080/g;

/** The flags of the last `npx linkvisor serve` line of a page above a block, `--port` left out
 * (a test serves on any free port and puts its URL in place of `PLACEHOLDER_URL`). */
export function serveFlagsAbove(text: string, line: number): string[] {
  const above = text
    .split('\n')
    .slice(0, line - 1)
    .join('\n');
  const lines = [...above.matchAll(/npx linkvisor serve([^\n#]*)/g)];
  const flags = (lines.at(-1)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
  const portAt = flags.indexOf('--port');
  if (portAt >= 0) flags.splice(portAt, 2);
  return flags;
}
