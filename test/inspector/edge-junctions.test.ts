/**
 * Which arrows the layout draws through a junction: sources that each enter one compound state at
 * the same states inside it, only where that draws fewer edges (sources × targets > sources +
 * targets), and never arrows between states of one compound state.
 */
import { describe, expect, it } from 'vitest';
import { edgeJunctions, joinedPoints } from '../../src/inspector/edge-junctions.js';

const pairs = (list: string) =>
  list.split(' ').map((p) => {
    const [source, target] = p.split('→') as [string, string];
    return { source, target };
  });

describe('edge junctions', () => {
  it('joins two sources entering one compound state at the same three states', () => {
    expect(edgeJunctions(pairs('a→c.x a→c.y a→c.z b→c.x b→c.y b→c.z c.x→c.y'))).toEqual([
      { id: 'c#junction0', parent: 'c', sources: ['a', 'b'], targets: ['c.x', 'c.y', 'c.z'] },
    ]);
  });

  it('leaves fans alone that a junction would not make smaller, or that differ in their targets', () => {
    // 2 × 2 = 2 + 2; 1 × 3 < 1 + 3; two sources with other target sets.
    expect(edgeJunctions(pairs('a→c.x a→c.y b→c.x b→c.y'))).toEqual([]);
    expect(edgeJunctions(pairs('a→c.x a→c.y a→c.z'))).toEqual([]);
    expect(edgeJunctions(pairs('a→c.x a→c.y a→c.z b→c.x b→c.y d→c.y d→c.z'))).toEqual([]);
  });

  it('does not join edges into the compound state itself, or within it', () => {
    expect(edgeJunctions(pairs('a→c b→c d→c c.x→c.y c.x→c.z c.w→c.y c.w→c.z'))).toEqual([]);
  });

  it('joins a trunk and a branch into one orthogonal line', () => {
    expect(
      joinedPoints(
        [
          { x: 0, y: 0 },
          { x: 0, y: 10 },
        ],
        [
          { x: 0, y: 10 },
          { x: 5, y: 10 },
        ],
      ),
    ).toEqual([
      { x: 0, y: 0 },
      { x: 0, y: 10 },
      { x: 5, y: 10 },
    ]);
    expect(
      joinedPoints(
        [
          { x: 0, y: 0 },
          { x: 0, y: 10 },
        ],
        [
          { x: 3, y: 12 },
          { x: 3, y: 20 },
        ],
      ),
    ).toEqual([
      { x: 0, y: 0 },
      { x: 0, y: 10 },
      { x: 3, y: 10 },
      { x: 3, y: 12 },
      { x: 3, y: 20 },
    ]);
  });
});
