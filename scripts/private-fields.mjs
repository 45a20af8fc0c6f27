/**
 * TypeScript `private` members as ECMAScript `#private` ones, for the browser bundles only
 * (scripts/browser-bundles.mjs): a minifier may shorten `#pending` to `#a` but never
 * `this.pending`, and the classes of the runtime hold many such members. ~0.4 KiB of gzip on the
 * drop-in, ~0.55 KiB on `linkvisor` (BENCHMARKS.md, the issue-11 bundle row).
 *
 * A member is rewritten only where the file's syntax alone proves it safe: an instance property,
 * method, accessor or constructor parameter property declared `private` (not static, abstract or
 * declare) whose name, anywhere in the file, appears only as its declaration or as
 * `this.<name>` whose `this` is an instance of that class (arrow functions see through, any other
 * function or a static member does not). Any other use of the name in the file — on another
 * receiver (TypeScript lets a class read another instance's privates), in a string, an object key
 * or a destructuring — leaves that member as it is. `private` is erased from the type system only:
 * no code outside the class can reach the member, so nothing else changes.
 */
import { readFile } from 'node:fs/promises';
import ts from 'typescript';

const has = (node, kind) =>
  (ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : []).some((m) => m.kind === kind);

/** The class whose instance `this` is at `node`, 'static' inside a static member, or null. */
function thisOwner(node) {
  for (let p = node.parent; p; p = p.parent) {
    if (ts.isArrowFunction(p)) continue;
    if (ts.isClassStaticBlockDeclaration(p)) return 'static';
    const member = ts.isFunctionLike(p) || ts.isPropertyDeclaration(p);
    if (member && p.parent && ts.isClassLike(p.parent))
      return has(p, ts.SyntaxKind.StaticKeyword) ? 'static' : p.parent;
    if (ts.isFunctionLike(p) || ts.isClassLike(p)) return null;
  }
  return null;
}

/** The rewritable `private` members of one class, by name. */
function privateMembers(cls) {
  const byName = new Map();
  for (const member of cls.members) {
    if (!member.name || !ts.isIdentifier(member.name)) continue;
    if (!has(member, ts.SyntaxKind.PrivateKeyword)) continue;
    if (
      [ts.SyntaxKind.StaticKeyword, ts.SyntaxKind.AbstractKeyword, ts.SyntaxKind.DeclareKeyword].some((k) =>
        has(member, k),
      )
    )
      continue;
    const kind = ts.isPropertyDeclaration(member) || ts.isGetAccessor(member) || ts.isSetAccessor(member);
    if (!kind && !(ts.isMethodDeclaration(member) && member.body)) continue;
    byName.set(member.name.text, [...(byName.get(member.name.text) ?? []), member]);
  }
  // Parameter properties: `constructor(private readonly wire: LinkWire)`.
  const ctor = cls.members.find((m) => ts.isConstructorDeclaration(m) && m.body);
  for (const parameter of ctor?.parameters ?? []) {
    if (!ts.isIdentifier(parameter.name) || !has(parameter, ts.SyntaxKind.PrivateKeyword)) continue;
    byName.set(parameter.name.text, [...(byName.get(parameter.name.text) ?? []), parameter]);
  }
  return byName;
}

/** Where a parameter property's assignment goes in the body of `ctor` (a constructor with one):
 * right after `super(…)` when that is its first statement (`callsSuper`), else first thing. */
export function parameterPropertySpot(file, ctor) {
  const first = ctor.body.statements[0];
  const callsSuper =
    first !== undefined &&
    ts.isExpressionStatement(first) &&
    ts.isCallExpression(first.expression) &&
    first.expression.expression.kind === ts.SyntaxKind.SuperKeyword;
  return { at: callsSuper ? first.getEnd() : ctor.body.getStart(file) + 1, callsSuper };
}

/** Edits that turn a parameter property into a `#` field set first thing in the constructor (after
 * `super(…)`), which is what a parameter property compiles to. */
function parameterPropertyEdits(file, parameter, name) {
  const ctor = parameter.parent;
  const edits = [];
  for (const modifier of ts.getModifiers(parameter) ?? []) {
    edits.push([modifier.getStart(file), modifier.getEnd(), '']);
  }
  const { at } = parameterPropertySpot(file, ctor);
  edits.push([at, at, ` this.#${name} = ${name};`]);
  edits.push([ctor.getStart(file), ctor.getStart(file), `#${name}; `]);
  return edits;
}

/**
 * `source` with its provably class-internal `private` members made `#private`, or null when there
 * is nothing to rewrite.
 */
export function privateToHash(fileName, source) {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const edits = [];
  const rewriteClass = (cls) => {
    const members = privateMembers(cls);
    if (members.size === 0) return;
    const declared = new Set([...members.values()].flat().map((m) => m.name));
    const uses = new Map([...members.keys()].map((name) => [name, []]));
    const unsafe = new Set();
    const visit = (node) => {
      if (ts.isIdentifier(node) && uses.has(node.text) && !declared.has(node)) {
        const parent = node.parent;
        if (ts.isPropertyAccessExpression(parent) && parent.name === node) {
          const own =
            parent.expression.kind === ts.SyntaxKind.ThisKeyword &&
            !parent.questionDotToken &&
            !ts.isDeleteExpression(parent.parent) &&
            thisOwner(parent) === cls;
          if (own) uses.get(node.text).push(node);
          else unsafe.add(node.text);
        } else if (!isPlainReference(node)) {
          unsafe.add(node.text); // a key, a destructuring, a declaration of the same name elsewhere
        }
      } else if ((ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) && uses.has(node.text)) {
        unsafe.add(node.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    for (const [name, list] of members) {
      if (unsafe.has(name)) continue;
      for (const member of list) {
        if (ts.isParameter(member)) {
          edits.push(...parameterPropertyEdits(file, member, name));
          continue;
        }
        const modifier = ts.getModifiers(member).find((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
        edits.push([modifier.getStart(file), modifier.getEnd(), '']);
        edits.push([member.name.getStart(file), member.name.getEnd(), `#${name}`]);
        // `#x?:` and `#x!:` are not TypeScript; the type is erased anyway.
        const mark = member.questionToken ?? member.exclamationToken;
        if (mark) edits.push([mark.getStart(file), mark.getEnd(), '']);
      }
      for (const use of uses.get(name)) edits.push([use.getStart(file), use.getEnd(), `#${name}`]);
    }
  };
  const findClasses = (node) => {
    if (ts.isClassLike(node)) rewriteClass(node);
    ts.forEachChild(node, findClasses);
  };
  findClasses(file);
  if (edits.length === 0) return null;
  let out = source;
  for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) {
    out = out.slice(0, start) + text + out.slice(end);
  }
  return out;
}

/** An identifier that is a variable, parameter or type name, not a property name of anything. */
function isPlainReference(node) {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent)) return parent.expression === node;
  if (ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent)) return false;
  // `{ x } = …` reads the property x; `[x] = …` only names a variable.
  if (ts.isBindingElement(parent)) return parent.name === node && ts.isArrayBindingPattern(parent.parent);
  if (
    ts.isPropertyDeclaration(parent) ||
    ts.isPropertySignature(parent) ||
    ts.isMethodDeclaration(parent) ||
    ts.isMethodSignature(parent) ||
    ts.isGetAccessor(parent) ||
    ts.isSetAccessor(parent) ||
    ts.isEnumMember(parent) ||
    ts.isQualifiedName(parent) ||
    ts.isJsxAttribute(parent)
  ) {
    return false;
  }
  return true;
}

/** esbuild plugin: every .ts source of the bundle goes through privateToHash. */
export const privateFields = {
  name: 'linkvisor-private-fields',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes('node_modules')) return undefined;
      const source = await readFile(args.path, 'utf8');
      const rewritten = privateToHash(args.path, source);
      return rewritten === null ? undefined : { contents: rewritten, loader: 'ts' };
    });
  },
};
