/**
 * Refreshes the Mermaid diagrams of the connection, socket and watcher charts (from `toMermaid`) in the
 * README and the pages of docs/: each sits in a ```mermaid block right after a
 * `<!-- mermaid:NAME -->` marker. test/inspector/mermaid-readme.test.ts fails when one drifts.
 * Run: npx tsx scripts/inspector-readme.ts
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyStateMachine } from 'xstate';
import { connectionMachine } from '../machines/connection.machine.js';
import { sessionMachine } from '../machines/session.machine.js';
import { socketMachine } from '../machines/socket.machine.js';
import { toMermaid } from '../machines/to-mermaid.js';
import { watcherMachine } from '../machines/watcher.machine.js';

export const README_DIAGRAMS: Record<string, AnyStateMachine> = {
  connection: connectionMachine,
  socket: socketMachine,
  watcher: watcherMachine,
  session: sessionMachine,
};

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The files that may hold marked diagrams: README.md and docs/*.md (paths from the root). */
export function diagramFiles(root = ROOT): string[] {
  const docs = readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

const blockAfter = (name: string, flags = '') =>
  new RegExp(`(<!-- mermaid:${name} -->\\n\`\`\`mermaid\\n)([\\s\\S]*?)(\`\`\`)`, flags);

/** The diagram text under the (first) marker `<!-- mermaid:NAME -->`, or null. */
export function readmeDiagram(readme: string, name: string): string | null {
  return blockAfter(name).exec(readme)?.[2] ?? null;
}

/** Every marker name in a text, in order (a name may repeat). */
export function markedDiagrams(text: string): string[] {
  return [...text.matchAll(/<!-- mermaid:([\w-]+) -->/g)].map((m) => m[1] as string);
}

/** The text with every marked diagram replaced by the chart's current `toMermaid`. */
export function refreshReadme(readme: string): string {
  let out = readme;
  for (const [name, machine] of Object.entries(README_DIAGRAMS)) {
    out = out.replace(
      blockAfter(name, 'g'),
      (_m, head: string, _body: string, tail: string) => `${head}${toMermaid(machine)}${tail}`,
    );
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const file of diagramFiles()) {
    const full = path.join(ROOT, file);
    const before = readFileSync(full, 'utf8');
    if (markedDiagrams(before).length === 0) continue;
    const after = refreshReadme(before);
    writeFileSync(full, after);
    console.log(`${file}: ${before === after ? 'diagrams are up to date' : 'diagrams refreshed'}`);
  }
}
