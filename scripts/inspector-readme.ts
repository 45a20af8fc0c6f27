/**
 * Refreshes the README's Mermaid diagrams of the connection and socket charts from `toMermaid`:
 * each sits in a ```mermaid block right after a `<!-- mermaid:NAME -->` marker.
 * test/inspector/mermaid-readme.test.ts fails when they drift. Run: npx tsx scripts/inspector-readme.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AnyStateMachine } from 'xstate';
import { connectionMachine } from '../machines/connection.machine.js';
import { socketMachine } from '../machines/socket.machine.js';
import { toMermaid } from '../machines/to-mermaid.js';

export const README_DIAGRAMS: Record<string, AnyStateMachine> = {
  connection: connectionMachine,
  socket: socketMachine,
};

const blockAfter = (name: string) =>
  new RegExp(`(<!-- mermaid:${name} -->\\n\`\`\`mermaid\\n)([\\s\\S]*?)(\`\`\`)`);

/** The diagram text under the marker `<!-- mermaid:NAME -->`, or null. */
export function readmeDiagram(readme: string, name: string): string | null {
  return blockAfter(name).exec(readme)?.[2] ?? null;
}

/** The README with every marked diagram replaced by the chart's current `toMermaid`. */
export function refreshReadme(readme: string): string {
  let out = readme;
  for (const [name, machine] of Object.entries(README_DIAGRAMS)) {
    out = out.replace(
      blockAfter(name),
      (_m, head: string, _body: string, tail: string) => `${head}${toMermaid(machine)}${tail}`,
    );
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = new URL('../README.md', import.meta.url);
  const before = readFileSync(path, 'utf8');
  const after = refreshReadme(before);
  writeFileSync(path, after);
  console.log(before === after ? 'README diagrams are up to date' : 'README diagrams refreshed');
}
