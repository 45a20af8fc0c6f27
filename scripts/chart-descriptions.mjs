/**
 * The charts' `description` texts left out of the browser bundles only (scripts/browser-bundles.mjs).
 * A description is prose for a reader of the chart: XState keeps it on the state node or transition
 * and hands it to an inspector; no guard, action or delay reads it, and neither does linkvisor's
 * runtime. linkvisor's inspector, the README's diagrams and the model tests run in Node on the
 * sources, where every description stays; the browser bundles carry none of their ~1 KiB of gzip
 * (BENCHMARKS.md, round 18 (bytes)). What differs in a browser: a chart shown by `@statelyai/inspect`
 * has no descriptions, and every transition config of `uniformTransitions` gets the one hidden class.
 *
 * Only files under `machines/` are rewritten, and there only a property assignment named
 * `description` whose value is text alone: a string literal, a template whose substitutions are
 * names (`${graceFor}`), or a `+` of those — nothing that could run code or have an effect. The
 * property goes with one comma; anything else (a description computed by a call, a shorthand
 * `{ description }`) stays as written.
 */
import path from 'node:path';
import ts from 'typescript';

/** Whether `node` is text alone: evaluating it can have no effect. */
function isPlainText(node) {
  if (ts.isParenthesizedExpression(node)) return isPlainText(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return true;
  if (ts.isTemplateExpression(node))
    return node.templateSpans.every((span) => ts.isIdentifier(span.expression));
  return (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.PlusToken &&
    isPlainText(node.left) &&
    isPlainText(node.right)
  );
}

/** Whether `fileName` is a chart source (a file of the top-level `machines/` folder). */
export function isChartSource(fileName) {
  return path.basename(path.dirname(fileName)) === 'machines';
}

/** `source` (a file of `machines/`) with its text-only `description` properties left out, or null. */
export function withoutDescriptions(fileName, source) {
  if (!isChartSource(fileName) || !source.includes('description')) return null;
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const cuts = [];
  const visit = (node) => {
    if (
      ts.isPropertyAssignment(node) &&
      ts.isObjectLiteralExpression(node.parent) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) &&
      node.name.text === 'description' &&
      isPlainText(node.initializer)
    ) {
      // With one comma: up to the next property, or from the previous one; a sole property up to
      // the brace (its trailing comma too). Comments in between go with it.
      const properties = node.parent.properties;
      const at = properties.indexOf(node);
      const next = properties[at + 1];
      const previous = properties[at - 1];
      if (next) cuts.push([node.getStart(file), next.getStart(file)]);
      else if (previous) cuts.push([previous.getEnd(), node.getEnd()]);
      else cuts.push([node.getStart(file), node.parent.getEnd() - 1]);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (cuts.length === 0) return null;
  let out = source;
  for (const [start, end] of cuts.reverse()) out = out.slice(0, start) + out.slice(end);
  return out;
}
