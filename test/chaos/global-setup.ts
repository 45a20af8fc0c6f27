/**
 * Global setup of the chaos suite: a directory where every scenario appends its figures, and at
 * the end of the run one table of them all (a figure is a measurement; a bound, when given, is
 * the invariant the scenario asserted).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { FIGURES_FILE, type Figure, formatFigures } from './figures.js';

export default function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), 'linkvisor-chaos-'));
  project.provide('chaosFiguresDir', dir);
  return () => {
    let figures: Figure[] = [];
    try {
      figures = readFileSync(path.join(dir, FIGURES_FILE), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Figure);
    } catch {
      // no scenario recorded anything (a filtered run)
    }
    rmSync(dir, { recursive: true, force: true });
    if (figures.length > 0) process.stdout.write(`\n${formatFigures(figures)}\n`);
  };
}
