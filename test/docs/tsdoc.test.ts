/**
 * Every public export of every entry of the package (the exports map of package.json) has a TSDoc
 * comment: the generated API reference (`npm run docs:api`) never shows a bare name. Re-exports
 * are followed to the declaration; an export of another package's symbol is that package's to
 * document and is not counted.
 */
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { packageEntries, ROOT } from './markdown.js';

interface Export {
  entry: string;
  name: string;
  where: string;
  documented: boolean;
}

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.build.json'), ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options;
}

/** Every export of every entry, with whether its declaration carries a doc comment. */
function publicExports(entries: Map<string, string>, host?: ts.CompilerHost): Export[] {
  const files = new Map([...entries].map(([specifier, source]) => [path.join(ROOT, source), specifier]));
  const program = ts.createProgram([...files.keys()], { ...compilerOptions(), noEmit: true }, host);
  const checker = program.getTypeChecker();
  const out: Export[] = [];
  for (const [file, entry] of files) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`${entry}: ${file} is not in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`${entry}: ${file} is not a module`);
    for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const declaration = target.declarations?.[0];
      if (!declaration) continue;
      const declaredIn = declaration.getSourceFile().fileName;
      if (declaredIn.includes('/node_modules/')) continue;
      const { line } = declaration.getSourceFile().getLineAndCharacterOfPosition(declaration.getStart());
      const text = ts.displayPartsToString(target.getDocumentationComment(checker)).trim();
      const tags = target.getJsDocTags(checker).length > 0;
      out.push({
        entry,
        name: symbol.name,
        where: `${path.relative(ROOT, declaredIn)}:${line + 1}`,
        documented: text !== '' || tags,
      });
    }
  }
  return out;
}

describe('TSDoc on the public API', () => {
  it('every export of every entry of package.json has a doc comment', { timeout: 120_000 }, () => {
    const exports = publicExports(packageEntries());
    expect(new Set(exports.map((e) => e.entry))).toEqual(new Set(packageEntries().keys()));
    const missing = exports.filter((e) => !e.documented).map((e) => `${e.entry}: ${e.name} (${e.where})`);
    expect(missing).toEqual([]);
  });

  it('the check sees an undocumented export (an entry made for the test)', { timeout: 120_000 }, () => {
    const fake = path.join(ROOT, 'src/__tsdoc-check-entry.ts');
    const host = ts.createCompilerHost(compilerOptions());
    const read = host.readFile.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    const text = '/** Documented. */\nexport const documented = 1;\nexport const bare = 2;\n';
    host.fileExists = (name) => name === fake || ts.sys.fileExists(name);
    host.readFile = (name) => (name === fake ? text : read(name));
    host.getSourceFile = (name, version, onError, create) =>
      name === fake
        ? ts.createSourceFile(name, text, version, true)
        : getSourceFile(name, version, onError, create);
    const found = publicExports(new Map([['fake', 'src/__tsdoc-check-entry.ts']]), host);
    expect(found.map((e) => [e.name, e.documented])).toEqual([
      ['documented', true],
      ['bare', false],
    ]);
  });
});
