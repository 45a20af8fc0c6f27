/**
 * The browser bundles' `declare` of fields the constructor always assigns
 * (scripts/assigned-fields.mjs): what it declares, what it must leave alone, and that a class so
 * compiled makes the same instances as before.
 */
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { declareAssignedFields } from '../../scripts/assigned-fields.mjs';

const rewrite = (source: string) => declareAssignedFields('probe.ts', source) ?? source;

/** Runs a module's source (TypeScript, ESM, ES2022 class fields) and returns what `run()` returns. */
async function run(source: string): Promise<unknown> {
  const { code } = await transform(source, { loader: 'ts', format: 'cjs', target: 'es2022' });
  const module = { exports: {} as { run?: () => unknown } };
  new Function('module', 'exports', code)(module, module.exports);
  return module.exports.run?.();
}

describe('fields the constructor always assigns, declared only, in the browser bundles', () => {
  it('declares bare fields assigned by a statement of the constructor, modifiers kept', () => {
    const out = rewrite(`
      class Shown extends Event {
        readonly code: number;
        private readonly label: string;
        /** documented */
        detail: unknown;
        constructor(code: number) {
          super('shown');
          this.code = code;
          this.label = String(code);
          this.detail = null;
        }
      }`);
    expect(out).toContain('declare readonly code: number;');
    expect(out).toContain('declare private readonly label: string;');
    expect(out).toContain('/** documented */\n        declare detail: unknown;');
  });

  it('makes parameter properties plain parameters assigned first in the constructor (after super)', () => {
    expect(
      rewrite(
        'class A { constructor(private readonly p: string, q = 1) { use(q); } get() { return this.p; } }',
      ),
    ).toBe(
      'class A { declare p; constructor(  p: string, q = 1) { this.p = p; use(q); } get() { return this.p; } }',
    );
    expect(rewrite("class E extends Error { constructor(readonly option: string) { super('e'); } }")).toBe(
      "class E extends Error { declare option; constructor( option: string) { super('e'); this.option = option; } }",
    );
    // The base's prototype has the name (`message`): left as it is.
    const source = "class E extends Error { constructor(override readonly message: string) { super('e'); } }";
    expect(rewrite(source)).toBe(source);
  });

  it('leaves a field alone when the syntax cannot prove every instance gets it in the constructor', () => {
    const cases = {
      'an initializer': 'class A { x = 1; constructor() { this.x = 2; } }',
      'assigned in a condition': 'class A { x: number; constructor(a: boolean) { if (a) this.x = 1; } }',
      'assigned in a callback':
        'class A { x!: number; constructor() { [1].forEach((n) => { this.x = n; }); } }',
      'assigned in a method': 'class A { x!: number; set(n: number) { this.x = n; } }',
      'a compound assignment': 'class A { x!: number; constructor() { this.x ??= 1; } }',
      'no constructor': 'class A { x!: number; }',
      static: 'class A { static x: number; constructor() { A.x = 1; } }',
      'a #private field': 'class A { #x: number; constructor() { this.#x = 1; } }',
      'a class of the file as base':
        'class B {} class A extends B { x: number; constructor() { super(); this.x = 1; } }',
      'a shadowed global as base':
        "import { Event } from './event.js'; class A extends Event { x: number; constructor() { super(); this.x = 1; } }",
      "a member of the global base's prototype":
        "class A extends Event { type: string; constructor() { super('a'); this.type = 'b'; } }",
    };
    for (const [why, source] of Object.entries(cases)) {
      expect(rewrite(source), why).toBe(source);
    }
  });

  it('a class so compiled makes the same instances', async () => {
    const source = `
      class Failure extends Error {
        override readonly name = 'Failure';
        readonly code: string;
        readonly option: string | undefined;
        constructor(code: string, option?: string) {
          super(code, { cause: option });
          this.code = code;
          this.option = option;
        }
      }
      class Wrapped extends Error {
        constructor(readonly option: string, override readonly cause: unknown) {
          super('wrapped');
        }
      }
      class Closed extends Event {
        readonly code: number;
        readonly reason: string;
        constructor(code: number, reason: string) {
          super('close');
          this.code = code;
          this.reason = reason;
        }
      }
      const own = (o: object) =>
        Object.getOwnPropertyNames(o).map((k) => [k, (o as Record<string, unknown>)[k], Object.getOwnPropertyDescriptor(o, k)?.enumerable]);
      export function run() {
        const failure = new Failure('LV_X');
        const closed = new Closed(1000, 'done');
        const wrapped = own(new Wrapped('url', 'why')).filter(([k]) => k !== 'stack');
        return [own(failure).filter(([k]) => k !== 'stack'), own(closed), closed.type, JSON.stringify(failure), wrapped];
      }`;
    const rewritten = rewrite(source);
    expect(rewritten).toContain('declare readonly code: string;');
    expect(rewritten).toContain('declare readonly reason: string;');
    expect(rewritten).toContain('this.option = option; this.cause = cause;');
    expect(await run(rewritten)).toEqual(await run(source));
    expect(await run(source)).toEqual([
      [
        ['message', 'LV_X', false],
        ['cause', undefined, false],
        ['name', 'Failure', true],
        ['code', 'LV_X', true],
        ['option', undefined, true],
      ],
      [
        ['code', 1000, true],
        ['reason', 'done', true],
      ],
      'close',
      '{"name":"Failure","code":"LV_X"}',
      [
        ['message', 'wrapped', false],
        ['option', 'url', true],
        ['cause', 'why', true],
      ],
    ]);
  });
});
