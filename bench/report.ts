/**
 * Presentation of the benchmark results: plain tables (markdown, readable in a terminal too), the
 * storm chart as a self-contained SVG, and the generated part of BENCHMARKS.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export type Row = (string | number)[];

export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A markdown table with aligned columns; numbers and the first row's `:` hints right-aligned. */
export function table(header: string[], rows: Row[], align: ('l' | 'r')[] = []): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(3, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    `| ${r.map((c, i) => (align[i] === 'r' ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...cells.slice(1).map(line)].join('\n');
}

export interface Series {
  name: string;
  color: string;
  /** Attempts per bin, bin i covering [i × binMs, (i + 1) × binMs) after the restart. */
  bins: number[];
}

/** Line chart of attempts per bin over time, one polyline per series. Pure SVG, no script. */
export function stormSvg(series: Series[], binMs: number, title: string, downMs = 0): string {
  const width = 760;
  const height = 360;
  const m = { left: 56, right: 16, top: 40, bottom: 78 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const bins = Math.max(1, ...series.map((s) => s.bins.length));
  const peak = Math.max(1, ...series.flatMap((s) => s.bins));
  const yMax = niceCeil(peak);
  const x = (i: number) => m.left + (i / bins) * plotW;
  const y = (v: number) => m.top + plotH - (v / yMax) * plotH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${m.left}" y="22" font-size="14" font-weight="600">${escapeXml(title)}</text>`,
  );
  // the time the server was down
  if (downMs > 0) {
    const w = Math.min(plotW, (downMs / (bins * binMs)) * plotW);
    out.push(
      `<rect x="${m.left}" y="${m.top}" width="${w.toFixed(1)}" height="${plotH}" fill="#f3f4f6"/>`,
      `<text x="${(m.left + w / 2).toFixed(1)}" y="${m.top + 16}" text-anchor="middle" fill="#6b7280">server down</text>`,
    );
  }
  // grid and y axis
  for (let k = 0; k <= 4; k++) {
    const v = (yMax * k) / 4;
    out.push(
      `<line x1="${m.left}" x2="${width - m.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e7eb"/>`,
      `<text x="${m.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#374151">${fmt(v)}</text>`,
    );
  }
  // x axis: seconds
  const seconds = (bins * binMs) / 1000;
  const step = seconds > 12 ? 2 : seconds > 6 ? 1 : 0.5;
  for (let s = 0; s <= seconds + 1e-9; s += step) {
    const px = m.left + (s / seconds) * plotW;
    out.push(
      `<line x1="${px.toFixed(1)}" x2="${px.toFixed(1)}" y1="${m.top + plotH}" y2="${m.top + plotH + 4}" stroke="#6b7280"/>`,
      `<text x="${px.toFixed(1)}" y="${m.top + plotH + 16}" text-anchor="middle" fill="#374151">${s}</text>`,
    );
  }
  out.push(
    `<line x1="${m.left}" x2="${width - m.right}" y1="${m.top + plotH}" y2="${m.top + plotH}" stroke="#6b7280"/>`,
    `<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${m.top + plotH}" stroke="#6b7280"/>`,
    `<text x="${m.left + plotW / 2}" y="${m.top + plotH + 32}" text-anchor="middle" fill="#111827">seconds after the server went down</text>`,
    `<text transform="translate(14 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#111827">attempts per ${binMs} ms</text>`,
  );
  // series as step lines
  for (const s of series) {
    const points: string[] = [];
    for (let i = 0; i < bins; i++) {
      const v = s.bins[i] ?? 0;
      points.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`, `${x(i + 1).toFixed(1)},${y(v).toFixed(1)}`);
    }
    out.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="1.8" stroke-linejoin="round" points="${points.join(' ')}"/>`,
    );
  }
  // legend
  let lx = m.left;
  const ly = height - 18;
  for (const s of series) {
    out.push(
      `<rect x="${lx}" y="${ly - 9}" width="14" height="4" fill="${s.color}"/>`,
      `<text x="${lx + 20}" y="${ly - 4}" fill="#111827">${escapeXml(s.name)}</text>`,
    );
    lx += 28 + s.name.length * 6.6;
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const f of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (f * p >= v) return f * p;
  return 10 * p;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const RESULTS_START =
  '<!-- bench:results:start (written by `npm run bench`; edit outside these markers) -->';
export const RESULTS_END = '<!-- bench:results:end -->';

/** Replaces a generated part of BENCHMARKS.md (between `markers`), keeping the hand-written text
 * around it. */
export function spliceResults(
  existing: string | null,
  generated: string,
  template: string,
  markers: { start: string; end: string } = { start: RESULTS_START, end: RESULTS_END },
): string {
  const block = `${markers.start}\n\n${generated.trim()}\n\n${markers.end}`;
  const source = existing ?? template;
  const start = source.indexOf(markers.start);
  const end = source.indexOf(markers.end);
  if (start < 0 || end < start) return `${source.trimEnd()}\n\n${block}\n`;
  return `${source.slice(0, start)}${block}${source.slice(end + markers.end.length)}`;
}

/** The median of `values` (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Writes `generated` between `markers` in the BENCHMARKS.md at `file` (a section of its own). */
export function writeSection(file: string, generated: string, markers: { start: string; end: string }): void {
  const existing = readFileSync(file, 'utf8');
  writeFileSync(file, spliceResults(existing, generated, existing, markers));
}
