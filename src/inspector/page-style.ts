/**
 * The inspector page's stylesheet (served as /style.css). System fonts only; monospace for state
 * names and labels, whose widths the layout (./layout-chart.ts) assumes to be 0.6 em per glyph.
 * One screen: top bar, supervisor strip, then list · charts · selected actor, each scrolling on
 * its own. Chart text is 11–13 px and charts are never scaled down.
 */
export const PAGE_CSS = `
:root {
  --bg: #f5f6f8; --card: #fff; --ink: #1d2330; --muted: #5b6576; --line: #d9dee6;
  --good: #15803d; --good-bg: #dcfce7; --busy: #1d4ed8; --busy-bg: #dbeafe;
  --warn: #b45309; --warn-bg: #fef3c7; --bad: #b91c1c; --bad-bg: #fee2e2; --off: #6b7280; --off-bg: #eceef2;
  --accent: #2563eb; --after: #7c3aed; --hot: #ea580c;
  --mono: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace;
  --sans: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", sans-serif;
  --top: 44px; --strip: 132px;
}
* { box-sizing: border-box; }
html, body { height: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 13px/1.4 var(--sans); display: flex; flex-direction: column; overflow: hidden; }
[hidden] { display: none !important; }
header.top { flex: none; height: var(--top); display: flex; gap: 16px; align-items: center; padding: 0 18px; background: #111827; color: #e5e7eb; }
header.top h1 { margin: 0; font-size: 16px; font-weight: 650; letter-spacing: .2px; }
header.top h1 span { color: #93c5fd; font-weight: 500; }
.summary { color: #d1d5db; font-variant-numeric: tabular-nums; }
.toggle { margin-left: auto; color: #d1d5db; cursor: pointer; user-select: none; }
.trace-bar { display: flex; gap: 8px; align-items: center; min-width: 0; flex: 1; }
.trace-bar button { font: 12px var(--sans); border: 1px solid #374151; background: #1f2937; color: #e5e7eb; border-radius: 5px; padding: 2px 9px; cursor: pointer; }
.trace-bar button:disabled { opacity: .4; cursor: default; }
.trace-bar button.record.on { background: #7f1d1d; border-color: #b91c1c; color: #fecaca; }
.trace-bar .player { display: flex; gap: 6px; align-items: center; min-width: 0; flex: 1; color: #d1d5db; }
.trace-bar .trace-name { color: #93c5fd; max-width: 14ch; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.trace-bar .scrubber { width: 180px; }
.trace-bar .step-input { width: 7ch; font: 12px var(--mono); }
.trace-bar .step-total { font-variant-numeric: tabular-nums; white-space: nowrap; }
.trace-bar .step-info { font: 12px var(--mono); color: #fde68a; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.trace-bar label { white-space: nowrap; }
body[data-mode="trace"] header.top { background: #1e1b4b; }
body[data-mode="trace"] .summary, body[data-mode="trace"] .link-status { display: none; }
.link-status { padding: 2px 10px; border-radius: 999px; font-weight: 600; font-size: 12px; }
.link-status.good { background: #14532d; color: #bbf7d0; }
.link-status.warn, .link-status.busy { background: #78350f; color: #fde68a; }
.link-status.bad { background: #7f1d1d; color: #fecaca; }
.notice { flex: none; margin: 8px 14px 0; padding: 6px 12px; border-radius: 6px; background: var(--warn-bg); color: var(--warn); }
.notice.good { background: var(--good-bg); color: var(--good); }
.notice.bad { background: var(--bad-bg); color: var(--bad); }
.badge { font: 600 12px var(--mono); padding: 1px 8px; border-radius: 999px; background: var(--off-bg); color: var(--off); white-space: nowrap; }
.badge.good { background: var(--good-bg); color: var(--good); }
.badge.busy { background: var(--busy-bg); color: var(--busy); }
.badge.warn { background: var(--warn-bg); color: var(--warn); }
.badge.bad { background: var(--bad-bg); color: var(--bad); }

/* ── supervisor strip ── */
section.supervisor { flex: none; height: var(--strip); display: grid; grid-template-columns: 260px minmax(200px, 1fr) minmax(200px, 1fr) minmax(300px, 1.3fr); gap: 12px; margin: 10px 14px 0; padding: 10px 12px; background: var(--card); border: 1px solid var(--line); border-radius: 10px; }
.socket-head h2 { margin: 0 0 6px; font-size: 11px; text-transform: uppercase; letter-spacing: .6px; color: var(--muted); }
.socket-name { font: 600 14px var(--mono); border: none; background: none; padding: 0; margin-right: 8px; cursor: pointer; color: var(--ink); }
.socket-figures { margin-top: 8px; display: flex; flex-direction: column; gap: 3px; font-variant-numeric: tabular-nums; }
.socket-figures b { font: 700 18px var(--mono); }
.socket-figures .off { color: var(--warn); font-weight: 600; }
figure.sparkline { margin: 0; display: flex; flex-direction: column; min-width: 0; }
figure.sparkline figcaption { display: flex; gap: 10px; align-items: baseline; font-size: 12px; color: var(--muted); }
figure.sparkline .title { font-weight: 600; color: var(--ink); }
figure.sparkline .now { font: 700 15px var(--mono); color: var(--ink); }
figure.sparkline .max, figure.sparkline .span { font-size: 11px; }
figure.sparkline .span { align-self: flex-end; }
svg.spark { width: 100%; height: 60px; margin-top: 4px; background: #fbfcfd; border: 1px solid #eef0f3; border-radius: 4px; }
svg.spark .line { fill: none; stroke-width: 1.5; vector-effect: non-scaling-stroke; }
svg.spark.ready .line { stroke: var(--good); } svg.spark.ready .area { fill: #bbf7d0; opacity: .6; }
svg.spark.attempts .line { stroke: var(--hot); } svg.spark.attempts .area { fill: #fed7aa; opacity: .6; }
.socket-timeline { min-width: 0; display: flex; flex-direction: column; }
.socket-timeline h3 { margin: 0 0 4px; font-size: 11px; text-transform: uppercase; letter-spacing: .6px; color: var(--muted); }
ol.socket-edges { list-style: none; margin: 0; padding: 0; overflow: auto; font-size: 12px; }
ol.socket-edges li { display: grid; grid-template-columns: 92px 130px 1fr; gap: 6px; padding: 1px 0; border-bottom: 1px solid #f0f2f5; }
ol.socket-edges .time { font-family: var(--mono); color: var(--muted); }
ol.socket-edges .event { font-family: var(--mono); font-weight: 600; }
ol.socket-edges .socket-up .event, ol.socket-edges .group-up .event { color: var(--good); }
ol.socket-edges .socket-down .event, ol.socket-edges .group-down .event { color: var(--bad); }
ol.socket-edges .reconnect-disable .event { color: var(--warn); }
ol.socket-edges .note { color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }

/* ── workspace: list · charts · selected actor ── */
.workspace { flex: 1; min-height: 0; display: grid; grid-template-columns: 250px minmax(0, 1fr) 480px; gap: 12px; padding: 10px 14px 14px; }
.workspace > * { min-height: 0; background: var(--card); border: 1px solid var(--line); border-radius: 10px; }
section.actor-list { display: flex; flex-direction: column; padding: 8px; }
.actor-list .controls { display: flex; gap: 6px; }
.actor-list input, .actor-list select { font: 12px var(--sans); border: 1px solid var(--line); border-radius: 5px; padding: 4px 6px; background: #fff; min-width: 0; }
.actor-list input { flex: 1; }
.state-chips { display: flex; flex-wrap: wrap; gap: 4px; margin: 6px 0 2px; }
.state-chip { border: 1px solid transparent; cursor: pointer; font-variant-numeric: tabular-nums; }
.state-chip.on { border-color: currentColor; box-shadow: 0 0 0 1px currentColor inset; }
.state-pill { margin: 4px 0; padding: 2px 8px; border-radius: 6px; background: var(--busy-bg); color: var(--busy); font: 12px var(--mono); }
.state-pill button { border: none; background: none; color: inherit; cursor: pointer; }
.list-count { color: var(--muted); font-size: 12px; margin: 4px 2px; }
.viewport { position: relative; flex: 1; overflow: auto; border-top: 1px solid var(--line); outline: none; }
.viewport .spacer { width: 1px; }
.viewport .row { position: absolute; top: 0; left: 0; right: 0; height: 26px; display: flex; align-items: center; justify-content: space-between; gap: 6px; padding: 0 6px; cursor: pointer; border-bottom: 1px solid #f2f4f7; }
.viewport .row:hover { background: var(--bg); }
.viewport .row.selected { background: #e0ecff; }
.viewport .row.ended { opacity: .6; }
.viewport .row .id { font: 12px var(--mono); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.charts { overflow: auto; padding: 8px; background: var(--bg); border: none; display: flex; flex-direction: column; gap: 10px; }
.charts .placeholder { color: var(--muted); padding: 20px; }
section.chart-card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; display: flex; flex-direction: column; min-height: 0; flex: none; }
section.chart-card > header { display: flex; align-items: baseline; gap: 10px; padding: 8px 12px 4px; }
section.chart-card h2 { margin: 0; font: 600 14px var(--mono); }
section.chart-card .total { color: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; }
section.chart-card .zoom { margin-left: auto; display: flex; gap: 4px; }
section.chart-card .zoom button { font: 12px var(--sans); border: 1px solid var(--line); background: var(--bg); border-radius: 5px; padding: 1px 8px; cursor: pointer; }
section.chart-card .zoom button[aria-pressed="true"] { background: var(--busy-bg); border-color: #93c5fd; }
ul.shared { list-style: none; margin: 0; padding: 2px 12px 6px; font: 12px var(--mono); color: var(--muted); display: flex; flex-wrap: wrap; gap: 2px 18px; }
ul.shared .event { color: var(--ink); margin-right: 4px; }
ul.shared .event + .event::before { content: "/ "; color: var(--muted); }
ul.shared .ruled-out { display: none; }
ul.shared .hot { color: var(--hot); font-weight: 700; }
.chart-box { overflow: auto; max-height: 64vh; padding: 4px 8px 8px; background: #fbfcfd; border-top: 1px solid var(--line); border-radius: 0 0 10px 10px; }
section.chart-card[data-chart="connection"] .chart-box { max-height: calc(100vh - var(--top) - var(--strip) - 110px); }
svg.chart { display: block; max-width: none; font-family: var(--mono); }
svg.chart .state { cursor: pointer; }
svg.chart .state .box { fill: #fff; stroke: #b8c1ce; stroke-width: 1.2; }
svg.chart .state .share { fill: var(--off); pointer-events: none; }
svg.chart .state.tone-good .share { fill: #22c55e; } svg.chart .state.tone-busy .share { fill: #3b82f6; }
svg.chart .state.tone-warn .share { fill: #f59e0b; } svg.chart .state.tone-bad .share { fill: #ef4444; }
svg.chart .state.compound > .box, svg.chart .state.parallel > .box { fill: #f3f5f9; stroke: #c9d0db; }
svg.chart .state.final .inner { fill: none; stroke: #b8c1ce; }
svg.chart .state .name { font-size: 13px; fill: var(--ink); font-weight: 600; pointer-events: none; }
svg.chart .state.compound > .name { fill: var(--muted); }
svg.chart .state .pop { font-size: 11px; font-weight: 700; fill: #374151; pointer-events: none; font-variant-numeric: tabular-nums; }
svg.chart .state .note { font-size: 11px; fill: var(--muted); pointer-events: none; }
svg.chart .state .grace { font-size: 11px; fill: #4b5563; pointer-events: none; }
svg.chart .state .grace.heading { font-style: italic; fill: var(--muted); }
svg.chart .state .grace.hot { fill: var(--hot); font-weight: 700; }
svg.chart .state:hover > .box { stroke: var(--accent); }
svg.chart .state.active > .box { stroke: var(--accent); stroke-width: 1.8; }
svg.chart .state.compound.active > .box { fill: #eef4ff; }
svg.chart .state.current > .box { stroke: var(--accent); stroke-width: 3.5; }
svg.chart .state.current > .name { fill: #1e3a8a; }
svg.chart .state.via > .box { stroke: var(--hot); stroke-width: 2.2; stroke-dasharray: 5 3; }
svg.chart .edge { fill: none; stroke: #8b95a5; stroke-width: 1.1; }
svg.chart .edge.after { stroke: var(--after); stroke-dasharray: 5 3; }
svg.chart .edge.always { stroke: #a3acb9; stroke-dasharray: 2 3; }
svg.chart .edge.initial { stroke: #374151; }
svg.chart .edge.hot { stroke: var(--hot); stroke-width: 2.6; stroke-dasharray: none; }
svg.chart .ruled-out { display: none; }
svg.chart .arrowhead { fill: #8b95a5; } svg.chart .arrowhead.after { fill: var(--after); } svg.chart .arrowhead.hot { fill: var(--hot); }
svg.chart circle.initial { fill: #374151; }
svg.chart .edge-label rect { fill: #fbfcfd; opacity: .92; }
svg.chart .edge-label text { font-size: 11px; fill: #4b5563; }
svg.chart .edge-label text.after { fill: var(--after); }
svg.chart .edge-label.hot text { fill: var(--hot); font-weight: 700; }
section.detail { display: flex; flex-direction: column; overflow: hidden; }
section.detail > header { display: flex; align-items: center; gap: 8px; padding: 10px 12px 4px; flex-wrap: wrap; }
section.detail h2 { margin: 0; font: 600 14px var(--mono); }
.machine { color: var(--muted); font-size: 12px; }
.url { padding: 0 12px; color: var(--muted); font: 12px var(--mono); overflow-wrap: anywhere; }
.commands { margin-left: auto; display: flex; gap: 6px; }
.commands button { font: 12px var(--mono); border: 1px solid var(--line); background: var(--bg); border-radius: 5px; padding: 2px 8px; cursor: pointer; }
.hint { color: var(--muted); padding: 0 12px; }
.figures { display: flex; flex-wrap: wrap; gap: 6px; padding: 8px 12px; border-bottom: 1px solid var(--line); }
.figures:empty { display: none; }
.chip { display: inline-flex; border: 1px solid var(--line); border-radius: 6px; overflow: hidden; font-size: 12px; max-width: 100%; }
.chip .k { padding: 2px 6px; background: var(--bg); color: var(--muted); }
.chip .v { padding: 2px 6px; font-family: var(--mono); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chip.warn { border-color: #fcd34d; } .chip.warn .v { color: var(--warn); }
.chip.bad { border-color: #fca5a5; } .chip.bad .v { color: var(--bad); }
.chip.muted .v { color: var(--muted); max-width: 300px; }
.timeline-box { display: flex; flex-direction: column; min-height: 0; flex: 1; }
.timeline-box .filter { margin: 8px; padding: 4px 8px; border: 1px solid var(--line); border-radius: 5px; font: 12px var(--sans); }
.timeline-box .scroll { overflow: auto; min-height: 0; }
table.timeline { width: 100%; border-collapse: collapse; font-size: 12px; }
table.timeline th { position: sticky; top: 0; background: var(--card); text-align: left; font-weight: 600; color: var(--muted); padding: 3px 6px; border-bottom: 1px solid var(--line); }
table.timeline td { padding: 3px 6px; border-bottom: 1px solid #eef0f3; vertical-align: top; }
table.timeline .time { font-family: var(--mono); color: var(--muted); white-space: nowrap; }
table.timeline .event { font-family: var(--mono); }
table.timeline .change { font-family: var(--mono); }
table.timeline .from { color: var(--muted); }
table.timeline .to { font-weight: 600; }
table.timeline .reason { color: var(--bad); overflow-wrap: anywhere; font-family: var(--sans); }
table.timeline .note { color: var(--muted); font-family: var(--sans); }
table.timeline .num { text-align: right; font-family: var(--mono); white-space: nowrap; }
table.timeline tr.has-payload { cursor: help; }
@media (max-width: 1200px) {
  body { overflow: auto; display: block; }
  section.supervisor { height: auto; grid-template-columns: 1fr 1fr; }
  .workspace { grid-template-columns: 1fr; }
  section.actor-list { height: 420px; }
}
`;
