/**
 * A sparkline: one value per second as a filled line, scaled to its own maximum, with the latest
 * value and the maximum printed beside it. One SVG whose path is rewritten; no axis, no library.
 */
import { h, s } from './dom.js';

export interface Sparkline {
  element: HTMLElement;
  draw(values: readonly number[], seconds: number): void;
}

const WIDTH = 300;
const HEIGHT = 44;
const integer = new Intl.NumberFormat('en');

export function createSparkline(title: string, kind: string, unit: string): Sparkline {
  const area = s('path', { class: 'area' });
  const line = s('path', { class: 'line' });
  const svg = s(
    'svg',
    {
      class: `spark ${kind}`,
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      preserveAspectRatio: 'none',
      role: 'img',
      'aria-label': title,
    },
    area,
    line,
  );
  const now = h('span', { class: 'now' });
  const max = h('span', { class: 'max' });
  const span = h('span', { class: 'span' });
  const element = h(
    'figure',
    { class: `sparkline ${kind}` },
    h('figcaption', {}, h('span', { class: 'title' }, title), now, max),
    svg,
    span,
  );
  return {
    element,
    draw(values, seconds) {
      const top = Math.max(1, ...values);
      const step = WIDTH / Math.max(1, seconds - 1);
      const offset = seconds - values.length;
      const points = values.map(
        (v, i) => `${((offset + i) * step).toFixed(1)},${(HEIGHT - 2 - (v / top) * (HEIGHT - 4)).toFixed(1)}`,
      );
      line.setAttribute('d', points.length > 0 ? `M${points.join(' L')}` : '');
      area.setAttribute(
        'd',
        points.length > 0
          ? `M${(offset * step).toFixed(1)},${HEIGHT} L${points.join(' L')} L${WIDTH},${HEIGHT} Z`
          : '',
      );
      const last = values[values.length - 1];
      now.textContent = last === undefined ? '–' : `${integer.format(last)}${unit}`;
      max.textContent = `max ${integer.format(top)}`;
      span.textContent = `last ${Math.round(values.length / 60) >= 1 ? `${Math.round(values.length / 60)} min` : `${values.length} s`}`;
    },
  };
}
