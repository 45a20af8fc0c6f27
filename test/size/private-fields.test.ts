/**
 * The browser bundles' `private` → `#private` rewrite (scripts/private-fields.mjs): what it
 * rewrites, what it must leave alone because the file's syntax cannot prove the member is only
 * reached through its own class's `this`, and that a rewritten class behaves as before.
 */
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { privateToHash } from '../../scripts/private-fields.mjs';

const rewrite = (source: string) => privateToHash('probe.ts', source) ?? source;
/** The rewrite with runs of spaces made one (removed modifiers leave their spaces). */
const squashed = (source: string) => rewrite(source).replace(/ +/g, ' ');

/** Runs a module's source (TypeScript, ESM) and returns what its `run()` export returns. */
async function run(source: string): Promise<unknown> {
  const { code } = await transform(source, { loader: 'ts', format: 'cjs', target: 'es2022' });
  const module = { exports: {} as { run?: () => unknown } };
  new Function('module', 'exports', code)(module, module.exports);
  return module.exports.run?.();
}

describe('private members as #private in the browser bundles', () => {
  it('rewrites private fields, methods and accessors reached through this, arrows included', () => {
    const out = rewrite(`
      class Counter {
        private count = 0;
        private readonly step: number = 1;
        private done!: () => void;
        private last?: number;
        private bump(): void { this.count += this.step; }
        private get twice(): number { return this.count * 2; }
        tick(): number { [1, 2].forEach(() => this.bump()); this.last = this.twice; return this.last; }
      }`);
    expect(out).toContain('#count = 0');
    expect(out).toContain('readonly #step: number = 1');
    expect(out).toContain('#done: () => void');
    expect(out).toContain('#last: number');
    expect(out).toContain('#bump(): void { this.#count += this.#step; }');
    expect(out).toContain('get #twice(): number');
    expect(out).toContain('() => this.#bump()');
    expect(out).not.toMatch(/private/);
  });

  it('leaves a member alone when anything but its own this reaches the name', () => {
    const cases = {
      'another instance': 'class A { private x = 1; same(o: A) { return o.x === this.x; } }',
      'a string key': "class A { private x = 1; has() { return 'x' in this && this.x; } }",
      'an object key': 'class A { private x = 1; copy() { return { x: this.x }; } }',
      'a destructuring': 'class A { private x = 1; read() { const { x } = this; return x; } }',
      'a function expression':
        'class A { private x = 1; f() { return function (this: A) { return this.x; }; } }',
      'a static member': 'class A { private x = 1; static s(this: any) { return this.x; } }',
      'another class': 'class A { private x = 1; } class B { x = 2; get() { return this.x; } }',
      'optional chaining': 'class A { private x?: { y: number }; y() { return this?.x; } }',
      delete: 'class A { private x? = 1; drop() { delete this.x; } }',
    };
    for (const [why, source] of Object.entries(cases)) {
      expect(rewrite(source), why).toBe(source);
    }
  });

  it('makes parameter properties # fields set first in the constructor (after super)', () => {
    expect(squashed('class A { constructor(private readonly p: string) {} get() { return this.p; } }')).toBe(
      'class A { #p; constructor( p: string) { this.#p = p;} get() { return this.#p; } }',
    );
    expect(
      squashed('class B extends A { constructor(private q = 1, r = 2) { super(String(r)); this.q++; } }'),
    ).toBe(
      'class B extends A { #q; constructor( q = 1, r = 2) { super(String(r)); this.#q = q; this.#q++; } }',
    );
  });

  it('leaves static privates alone', () => {
    const source = 'class A { private static n = 0; get() { return A.n; } }';
    expect(rewrite(source)).toBe(source);
  });

  it('a rewritten class behaves as the original', async () => {
    const source = `
      class Queue {
        private items: number[] = [];
        private head = 0;
        constructor(private readonly limit: number) {}
        push(n: number): boolean {
          if (this.length >= this.limit) return false;
          this.items.push(n);
          return true;
        }
        shift(): number | undefined { return this.items[this.head++]; }
        private get length(): number { return this.items.length - this.head; }
        snapshot(): string { return JSON.stringify(this) + ':' + this.length; }
      }
      export function run() {
        const q = new Queue(2);
        return [q.push(1), q.push(2), q.push(3), q.shift(), q.push(4), q.shift(), q.snapshot()];
      }`;
    const rewritten = rewrite(source);
    expect(rewritten).toContain('#items');
    expect(rewritten).toContain('#limit');
    expect(await run(rewritten)).toEqual([true, true, false, 1, true, 2, '{}:1']);
    // The original shows its private fields to JSON; that is the one difference, and no code of
    // linkvisor serialises a class instance.
    expect(await run(source)).toEqual([
      true,
      true,
      false,
      1,
      true,
      2,
      '{"limit":2,"items":[1,2,4],"head":2}:1',
    ]);
  });
});
