/**
 * The inspector page's stylesheet (served as /style.css). System fonts only; monospace for state
 * names and labels, whose widths the layout (./layout-chart.ts) assumes to be 0.6 em per glyph.
 */
export const PAGE_CSS = `
:root {
  --bg: #f5f6f8; --card: #fff; --ink: #1d2330; --muted: #687385; --line: #d9dee6;
  --good: #15803d; --good-bg: #dcfce7; --busy: #1d4ed8; --busy-bg: #dbeafe;
  --warn: #b45309; --warn-bg: #fef3c7; --bad: #b91c1c; --bad-bg: #fee2e2; --off: #6b7280; --off-bg: #eceef2;
  --accent: #2563eb; --after: #7c3aed; --hot: #ea580c;
  --mono: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace;
  --sans: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", sans-serif;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 13px/1.4 var(--sans); }
header.top {
  position: sticky; top: 0; z-index: 2; display: flex; gap: 16px; align-items: center;
  padding: 10px 18px; background: #111827; color: #e5e7eb;
}
header.top h1 { margin: 0; font-size: 16px; font-weight: 650; letter-spacing: .2px; }
header.top h1 span { color: #93c5fd; font-weight: 500; }
.summary { color: #9ca3af; }
.toggle { margin-left: auto; color: #d1d5db; cursor: pointer; user-select: none; }
.link-status { padding: 2px 10px; border-radius: 999px; font-weight: 600; font-size: 12px; }
.link-status.good { background: #14532d; color: #bbf7d0; }
.link-status.warn, .link-status.busy { background: #78350f; color: #fde68a; }
.link-status.bad { background: #7f1d1d; color: #fecaca; }
.notice { margin: 10px 18px 0; padding: 8px 12px; border-radius: 6px; background: var(--warn-bg); color: var(--warn); }
.notice.good { background: var(--good-bg); color: var(--good); }
.notice.bad { background: var(--bad-bg); color: var(--bad); }
.layout { display: grid; grid-template-columns: 230px 1fr; gap: 16px; padding: 14px 18px; align-items: start; }
nav.tree { position: sticky; top: 58px; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px; }
nav.tree h3 { margin: 0 0 6px; font-size: 11px; text-transform: uppercase; letter-spacing: .6px; color: var(--muted); }
nav.tree ul { list-style: none; margin: 0; padding: 0; }
nav.tree li a { display: flex; justify-content: space-between; gap: 6px; padding: 3px 4px; border-radius: 4px; color: inherit; text-decoration: none; font-family: var(--mono); font-size: 12px; }
nav.tree li a:hover { background: var(--bg); }
nav.tree li.depth-1 a { padding-left: 12px; }
nav.tree li.depth-2 a { padding-left: 26px; }
nav.tree li.depth-1 .id::before, nav.tree li.depth-2 .id::before { content: "└ "; color: #b8c1ce; }
nav.tree .id { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
main.panels { min-width: 0; }
section.group > h3 { margin: 4px 0 8px; font-size: 11px; text-transform: uppercase; letter-spacing: .6px; color: var(--muted); }
section.panel { background: var(--card); border: 1px solid var(--line); border-radius: 10px; margin-bottom: 16px; overflow: hidden; }
section.panel.ended { opacity: .75; }
section.panel > header { display: flex; align-items: center; gap: 10px; padding: 10px 14px; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
section.panel h2 { margin: 0; font: 600 14px var(--mono); }
.machine { color: var(--muted); font-size: 12px; }
.url { color: var(--muted); font-family: var(--mono); font-size: 12px; overflow-wrap: anywhere; }
.commands { margin-left: auto; display: flex; gap: 6px; }
.commands button { font: 12px var(--mono); border: 1px solid var(--line); background: var(--bg); border-radius: 5px; padding: 2px 8px; cursor: pointer; }
.badge { font: 600 12px var(--mono); padding: 1px 8px; border-radius: 999px; background: var(--off-bg); color: var(--off); }
.badge.good { background: var(--good-bg); color: var(--good); }
.badge.busy { background: var(--busy-bg); color: var(--busy); }
.badge.warn { background: var(--warn-bg); color: var(--warn); }
.badge.bad { background: var(--bad-bg); color: var(--bad); }
.figures { display: flex; flex-wrap: wrap; gap: 6px; padding: 8px 14px; border-bottom: 1px solid var(--line); min-height: 38px; }
.chip { display: inline-flex; border: 1px solid var(--line); border-radius: 6px; overflow: hidden; font-size: 12px; max-width: 100%; }
.chip .k { padding: 2px 6px; background: var(--bg); color: var(--muted); }
.chip .v { padding: 2px 6px; font-family: var(--mono); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chip.warn { border-color: #fcd34d; } .chip.warn .v { color: var(--warn); }
.chip.bad { border-color: #fca5a5; } .chip.bad .v { color: var(--bad); }
.chip.muted .v { color: var(--muted); max-width: 520px; }
.body { display: grid; grid-template-columns: minmax(0, 3fr) minmax(360px, 2fr); }
.body.wide { grid-template-columns: 1fr; }
.body.wide .chart-box { border-right: none; border-bottom: 1px solid var(--line); }
.body.wide .timeline-box { max-height: 300px; }
.chart-box { overflow: auto; max-height: 760px; padding: 8px; border-right: 1px solid var(--line); background: #fbfcfd; cursor: zoom-in; }
.chart-box.actual { cursor: zoom-out; }
.chart-box.actual svg.chart { max-width: none; }
.chart-box .placeholder { color: var(--muted); padding: 20px; }
svg.chart { display: block; max-width: 100%; height: auto; font-family: var(--mono); }
svg.chart .state .box { fill: #fff; stroke: #b8c1ce; stroke-width: 1.2; }
svg.chart .state.compound > .box, svg.chart .state.parallel > .box { fill: #f3f5f9; stroke: #c9d0db; }
svg.chart .state.final .inner { fill: none; stroke: #b8c1ce; }
svg.chart .state .name { font-size: 12px; fill: var(--ink); font-weight: 600; }
svg.chart .state.compound > .name { fill: var(--muted); }
svg.chart .state .note { font-size: 10px; fill: var(--muted); }
svg.chart .state.active > .box { stroke: var(--accent); stroke-width: 1.6; }
svg.chart .state.compound.active > .box { fill: #eef4ff; }
svg.chart .state.current > .box { fill: #dbeafe; stroke: var(--accent); stroke-width: 2.5; }
svg.chart .state.current > .name { fill: #1e3a8a; }
svg.chart .edge { fill: none; stroke: #8b95a5; stroke-width: 1.1; }
svg.chart .edge.after { stroke: var(--after); stroke-dasharray: 5 3; }
svg.chart .edge.always { stroke: #a3acb9; stroke-dasharray: 2 3; }
svg.chart .edge.initial { stroke: #374151; }
svg.chart .edge.hot { stroke: var(--hot); stroke-width: 2.4; stroke-dasharray: none; }
svg.chart .arrowhead { fill: #8b95a5; } svg.chart .arrowhead.after { fill: var(--after); } svg.chart .arrowhead.hot { fill: var(--hot); }
svg.chart circle.initial { fill: #374151; }
svg.chart .edge-label rect { fill: #fbfcfd; opacity: .92; }
svg.chart .edge-label text { font-size: 10px; fill: #4b5563; }
svg.chart .edge-label text.after { fill: var(--after); }
svg.chart .edge-label.hot text { fill: var(--hot); font-weight: 700; }
.timeline-box { display: flex; flex-direction: column; min-width: 0; max-height: 620px; }
.timeline-box .filter { margin: 8px; padding: 4px 8px; border: 1px solid var(--line); border-radius: 5px; font: 12px var(--sans); }
.timeline-box .scroll { overflow: auto; }
table.timeline { width: 100%; border-collapse: collapse; font-size: 12px; }
table.timeline th { position: sticky; top: 0; background: var(--card); text-align: left; font-weight: 600; color: var(--muted); padding: 3px 6px; border-bottom: 1px solid var(--line); }
table.timeline td { padding: 3px 6px; border-bottom: 1px solid #eef0f3; vertical-align: top; }
table.timeline .time { font-family: var(--mono); color: var(--muted); white-space: nowrap; }
table.timeline .event { font-family: var(--mono); white-space: nowrap; }
table.timeline .change { font-family: var(--mono); white-space: nowrap; }
table.timeline .from { color: var(--muted); }
table.timeline .to { font-weight: 600; }
table.timeline .reason { color: var(--bad); min-width: 120px; }
table.timeline .num { text-align: right; font-family: var(--mono); white-space: nowrap; }
table.timeline tr.has-payload { cursor: help; }
@media (max-width: 1100px) {
  .layout { grid-template-columns: 1fr; } nav.tree { position: static; }
  .body { grid-template-columns: 1fr; } .chart-box { border-right: none; border-bottom: 1px solid var(--line); }
}
`;
