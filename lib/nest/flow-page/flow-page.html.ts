import { FLOW_PAGE_SCRIPT } from './flow-page.script';

/** @internal What the page needs to know from the server. */
export interface FlowPageConfig {
  /** The page's path, under which its data is served. */
  readonly base: string;
  readonly refreshInterval: number;
}

const STYLE = `
:root { --bg: #f7f8fa; --fg: #1d2330; --muted: #667085; --card: #fff; --line: #d0d5dd;
  --pub: #e8f1ff; --pub-b: #2f6fde; --topic: #fff6e5; --topic-b: #d28a00; --handler: #eaf7ee;
  --handler-b: #23884a; --err: #c62828; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
  background: var(--bg); }
header { display: flex; align-items: baseline; gap: 16px; padding: 14px 24px; background: #1d2330;
  color: #fff; }
header h1 { margin: 0; font-size: 18px; }
header .status { font-size: 12px; opacity: .8; }
header .status.down { color: #ffb4b4; opacity: 1; }
header nav { margin-left: auto; display: flex; gap: 12px; font-size: 13px; }
header a { color: #cfe0ff; }
main { padding: 16px 24px 40px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px;
  margin-bottom: 16px; overflow-x: auto; }
h2 { font-size: 15px; margin: 4px 0 10px; }
.legend { display: flex; gap: 16px; font-size: 12px; color: var(--muted); margin-bottom: 6px; }
.legend span::before { content: ""; display: inline-block; width: 10px; height: 10px; margin-right: 4px;
  border-radius: 2px; vertical-align: -1px; border: 1.5px solid; }
.legend .l-pub::before { background: var(--pub); border-color: var(--pub-b); }
.legend .l-topic::before { background: var(--topic); border-color: var(--topic-b); }
.legend .l-handler::before { background: var(--handler); border-color: var(--handler-b); }
svg text { font-size: 12px; fill: var(--fg); }
svg .group-title { font-size: 12px; font-weight: 600; fill: var(--muted); }
svg .col-title { font-size: 13px; font-weight: 700; fill: var(--fg); }
svg .group { fill: none; stroke: #c9ced8; stroke-dasharray: 4 3; }
svg .node rect { stroke-width: 1.5; rx: 6; }
svg .publication rect { fill: var(--pub); stroke: var(--pub-b); }
svg .topic rect { fill: var(--topic); stroke: var(--topic-b); }
svg .handler rect { fill: var(--handler); stroke: var(--handler-b); }
svg .node .label { font-weight: 600; }
svg .node .stats { font-size: 11px; fill: var(--muted); }
svg .node .detail { font-size: 11px; fill: var(--fg); opacity: .75; }
svg .node.failing rect { stroke: var(--err); }
svg .node.busy rect { filter: drop-shadow(0 0 4px rgba(47, 111, 222, .8)); }
svg .edge { fill: none; stroke: #98a2b3; stroke-width: 1.5; }
svg .edge.matches { stroke-dasharray: 5 4; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #eaecf0; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.err { color: var(--err); font-weight: 600; }
.apps { display: flex; flex-wrap: wrap; gap: 10px; }
.app { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 220px; }
.app h3 { margin: 0 0 4px; font-size: 14px; }
.app .self { font-size: 11px; color: var(--pub-b); margin-left: 6px; }
.muted { color: var(--muted); font-size: 12px; }
details { border-top: 1px solid #eaecf0; padding: 6px 0; }
summary { cursor: pointer; font-weight: 600; }
pre { background: #f2f4f7; padding: 8px; border-radius: 6px; overflow: auto; font-size: 12px;
  max-height: 320px; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
`;

/** Inside a `<script>`, JSON must not close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * @internal The flow page: one HTML document with its style and script inline (no CDN, no
 * external file: it works offline). The script polls `<base>/flow.json` and draws the diagram in
 * SVG.
 */
export function flowPageHtml(config: FlowPageConfig): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Busline event flow</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>Busline event flow</h1>
  <span class="status" id="status">loading…</span>
  <nav id="downloads"></nav>
</header>
<main>
  <section>
    <h2>Applications</h2>
    <div class="apps" id="apps"></div>
  </section>
  <section>
    <h2>Flow</h2>
    <div class="legend"><span class="l-pub">publishes</span><span class="l-topic">topic on its bus</span><span class="l-handler">handler</span></div>
    <svg id="diagram" role="img" aria-label="Event flow diagram"></svg>
  </section>
  <section><h2>Topics</h2><table id="topics"></table></section>
  <section><h2>Handlers</h2><table id="handlers"></table></section>
  <section>
    <h2>Message types</h2>
    <div id="messages"></div>
  </section>
</main>
<script id="flow-config" type="application/json">${scriptJson(config)}</script>
<script>${FLOW_PAGE_SCRIPT}</script>
</body>
</html>
`;
}
