/**
 * Class fields the constructor always assigns, declared for the type checker only (`declare`), for
 * the browser bundles only (scripts/browser-bundles.mjs). Under ES2022 class fields, a field
 * without an initializer (`readonly code: number;`) compiles to a definition of its own
 * (`code;`, the property set to `undefined`) before the constructor body assigns it anyway
 * (`this.code = e.code`): the bundles carry both. ~70–90 B of gzip a bundle (BENCHMARKS.md,
 * round 15 (bytes)).
 *
 * A field is declared only where the file's syntax alone proves that nothing but the moment the
 * property appears changes: an instance property (not static, abstract, declare or `#private`)
 * with a plain name, no initializer, that the class's own constructor assigns as one of its
 * body's statements (`this.x = …;`, not inside a condition, loop or callback), so every finished
 * instance has it, with the value assigned, as before. The class extends nothing, or a global
 * constructor (`Event`, `Error`, …) not shadowed in the file whose prototype has no member of that
 * name (a setter there would otherwise run where the field used to shadow it). What differs is
 * only inside the constructor, before that statement (the property is absent, not `undefined`),
 * and the order of an instance's own keys when the class mixes initialized and bare fields.
 * Parameter properties (`constructor(readonly wire: LinkWire)`) are such fields too: the same
 * definition first (`wire;`), then the assignment first thing in the constructor (after
 * `super(…)`); they become that assignment alone, under the same rule for the class.
 */
import ts from 'typescript';
import { parameterPropertySpot } from './private-fields.mjs';

const has = (node, kind) =>
  (ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : []).some((m) => m.kind === kind);

/** Names the constructor assigns as `this.<name> = …;`, statements of its body. */
function assignedInConstructor(cls) {
  const ctor = cls.members.find((m) => ts.isConstructorDeclaration(m) && m.body);
  const names = new Set();
  for (const statement of ctor?.body.statements ?? []) {
    if (!ts.isExpressionStatement(statement)) continue;
    const assignment = statement.expression;
    if (!ts.isBinaryExpression(assignment) || assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken)
      continue;
    const target = assignment.left;
    if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword) {
      if (ts.isIdentifier(target.name)) names.add(target.name.text);
    }
  }
  return names;
}

/** Every name declared at the top level of the file (a global of that name is shadowed). */
function topLevelNames(file) {
  const names = new Set();
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const b of bindings.elements) names.add(b.name.text);
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name)) names.add(d.name.text);
    } else if (
      (ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) &&
      statement.name !== undefined
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}

/** The prototype of the global constructor `cls` extends, null when it extends nothing, or
 * undefined when it extends anything else (a class of the file, an import, an expression). */
function basePrototype(cls, shadowed) {
  const clause = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
  if (!clause) return null;
  const base = clause.types[0]?.expression;
  if (!base || !ts.isIdentifier(base) || shadowed.has(base.text)) return undefined;
  const global = globalThis[base.text];
  return typeof global === 'function' ? global.prototype : undefined;
}

const PARAMETER_PROPERTY = new Set([
  ts.SyntaxKind.PublicKeyword,
  ts.SyntaxKind.PrivateKeyword,
  ts.SyntaxKind.ProtectedKeyword,
  ts.SyntaxKind.ReadonlyKeyword,
  ts.SyntaxKind.OverrideKeyword,
]);

/** Edits that make the parameter properties of `cls`'s constructor plain parameters assigned first
 * thing in its body (after `super(…)`, which must then be the body's first statement), each
 * declared for the type checker; `proto` is the global base's prototype or null. */
function parameterPropertyEdits(file, cls, proto) {
  const ctor = cls.members.find((m) => ts.isConstructorDeclaration(m) && m.body);
  if (!ctor) return [];
  const { at, callsSuper } = parameterPropertySpot(file, ctor);
  if (proto && !callsSuper) return [];
  const edits = [];
  for (const parameter of ctor.parameters) {
    const modifiers = (ts.getModifiers(parameter) ?? []).filter((m) => PARAMETER_PROPERTY.has(m.kind));
    if (modifiers.length === 0 || !ts.isIdentifier(parameter.name)) continue;
    const name = parameter.name.text;
    if (proto && name in proto) continue;
    for (const modifier of modifiers) edits.push([modifier.getStart(file), modifier.getEnd(), '']);
    edits.push([at, at, ` this.${name} = ${name};`]);
    edits.push([ctor.getStart(file), ctor.getStart(file), `declare ${name}; `]);
  }
  return edits;
}

/** `source` with its constructor-assigned bare fields declared only, or null when there is none. */
export function declareAssignedFields(fileName, source) {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const shadowed = topLevelNames(file);
  const edits = [];
  const visit = (node) => {
    if (ts.isClassLike(node)) {
      const proto = basePrototype(node, shadowed);
      if (proto !== undefined) edits.push(...parameterPropertyEdits(file, node, proto));
      const assigned = proto === undefined ? new Set() : assignedInConstructor(node);
      for (const member of node.members) {
        if (!ts.isPropertyDeclaration(member) || member.initializer || !ts.isIdentifier(member.name))
          continue;
        const name = member.name.text;
        if (!assigned.has(name) || (proto && name in proto)) continue;
        if (
          [ts.SyntaxKind.StaticKeyword, ts.SyntaxKind.AbstractKeyword, ts.SyntaxKind.DeclareKeyword].some(
            (k) => has(member, k),
          )
        )
          continue;
        // `declare` goes first; TypeScript wants it before `readonly` and `override` alike.
        const start = member.getStart(file);
        edits.push([start, start, 'declare ']);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (edits.length === 0) return null;
  let out = source;
  // From the end; of two insertions at one position, the later one first, so they read in order.
  const order = edits.map((edit, i) => [...edit, i]).sort((a, b) => b[0] - a[0] || b[3] - a[3]);
  for (const [start, end, text] of order) {
    out = out.slice(0, start) + text + out.slice(end);
  }
  return out;
}
