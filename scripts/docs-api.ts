/**
 * The API reference, generated from the TSDoc comments by TypeDoc (Markdown, through
 * typedoc-plugin-markdown) into docs/api/ (not committed): one module per entry of the exports map
 * (`linkvisor`, `linkvisor/ws`…), named as it is imported. Any TypeDoc warning (a broken `{@link}`,
 * a type used by the API but exported by no entry…) fails the run with `--strict` (CI).
 * Run: npm run docs:api [-- --strict]
 */
import path from 'node:path';
import { Application, type DeclarationReflection, ReflectionKind } from 'typedoc';
import { packageEntries, ROOT } from './package-entries.js';

const strict = process.argv.includes('--strict');
const entries = packageEntries();
const entryFiles = [...entries.values()].map((source) => path.join(ROOT, source));
const bySource = new Map([...entries].map(([specifier, source]) => [source, specifier]));

const app = await Application.bootstrapWithPlugins({
  name: 'linkvisor',
  entryPoints: entryFiles,
  entryPointStrategy: 'resolve',
  tsconfig: path.join(ROOT, 'tsconfig.build.json'),
  plugin: ['typedoc-plugin-markdown'],
  out: path.join(ROOT, 'docs/api'),
  readme: 'none',
  excludePrivate: true,
  excludeInternal: true,
  hideGenerator: true,
  disableSources: true,
  treatWarningsAsErrors: strict,
  validation: { notExported: true, invalidLink: true, notDocumented: false },
  logLevel: 'Warn',
});

const project = await app.convert();
if (!project) {
  console.error('docs:api: TypeDoc could not convert the entries');
  process.exit(1);
}
// Modules are named by the import specifier, not by the file.
for (const child of project.children ?? []) {
  const module = child as DeclarationReflection;
  if (!module.kindOf(ReflectionKind.Module)) continue;
  const file = project.getSymbolIdFromReflection(module)?.packagePath;
  const specifier = file ? bySource.get(file) : undefined;
  if (!specifier) throw new Error(`docs:api: no entry for the module ${module.name} (${file})`);
  module.name = specifier;
}
await app.generateOutputs(project);
if (app.logger.hasErrors() || (strict && app.logger.hasWarnings())) process.exit(1);
console.log(`docs:api: ${entries.size} entries → docs/api/`);
