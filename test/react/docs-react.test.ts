/**
 * docs/react.md's component is real code: its ```tsx block (at most 15 lines of component, the
 * imports aside) is type-checked against the sources (`linkvisor/react` mapped to
 * src/react/index.ts) with the project's compiler options. A broken copy of it, checked in the
 * same program, must fail, so the check can fail.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function docBlock(): string {
  const page = readFileSync(path.join(ROOT, 'docs', 'react.md'), 'utf8');
  const blocks = [...page.matchAll(/^```tsx\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
  expect(blocks).toHaveLength(1);
  return blocks[0] as string;
}

/** Type-checks files that do not exist, placed in docs/ (so `react` resolves from the package's
 * node_modules); returns the diagnostics of each. */
function typecheck(files: Record<string, string>): Record<string, string[]> {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const compilerOptions: ts.CompilerOptions = {
    ...options,
    noEmit: true,
    baseUrl: ROOT,
    paths: { 'linkvisor/react': ['./src/react/index.ts'] },
  };
  const virtual = new Map(Object.entries(files).map(([name, code]) => [path.join(ROOT, 'docs', name), code]));
  const host = ts.createCompilerHost(compilerOptions);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError, create) => {
    const code = virtual.get(path.resolve(file));
    return code === undefined
      ? getSourceFile(file, language, onError, create)
      : ts.createSourceFile(file, code, language, true, ts.ScriptKind.TSX);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => virtual.has(path.resolve(file)) || fileExists(file);
  const program = ts.createProgram([...virtual.keys()], compilerOptions, host);
  const out: Record<string, string[]> = {};
  for (const [file] of virtual) {
    const diagnostics = [
      ...program.getSyntacticDiagnostics(program.getSourceFile(file)),
      ...program.getSemanticDiagnostics(program.getSourceFile(file)),
    ];
    out[path.basename(file)] = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }
  out.global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  );
  return out;
}

describe('docs/react.md', () => {
  let checked: Record<string, string[]>;
  const broken = () => docBlock().replace('useLinkState(link)', 'useLinkState(link.id)');

  beforeAll(() => {
    checked = typecheck({ 'react-example.tsx': docBlock(), 'react-broken.tsx': broken() });
  });

  it('shows a component of at most 15 lines (imports aside)', () => {
    const lines = docBlock().trimEnd().split('\n');
    const component = lines.filter((line) => !line.startsWith('import ') && line.trim() !== '');
    expect(component.length).toBeLessThanOrEqual(15);
    expect(docBlock()).toMatch(/from 'linkvisor\/react'/);
  });

  it('type-checks against the sources', () => {
    expect(checked['react-example.tsx']).toEqual([]);
    expect(checked.global).toEqual([]);
  });

  it('the check fails on a broken copy', () => {
    expect(broken()).not.toBe(docBlock());
    expect(checked['react-broken.tsx']?.join('\n')).toMatch(/Argument of type 'string'/);
  });
});
