// wordvec projector page: draws the server's projection with the locally served plotly.js,
// and wires the search, analogy and inspect panels to the JSON API. No network beyond this server.
//
// Labels: in 2-D the page labels the current query, its neighbours (or the analogy's words), then
// as many of the most frequent words as fit without overlapping, placed greedily in screen space
// (text widths measured with a canvas) and placed again on every zoom or pan, so zooming in shows
// more. In 3-D (any rotation changes what overlaps) it labels the query words and the most
// frequent few. Words outside the projected set are placed on demand by /api/locate and drawn as
// open diamonds, with a note saying how they were placed.
"use strict";

const $ = (id) => document.getElementById(id);
// The page's font stack (style.css, Korean-capable fonts included) for the text plotly draws in SVG.
const FONT = getComputedStyle(document.body).fontFamily || "sans-serif";
const LABEL_PX = 12, FOCUS_PX = 15;
const MARKER_PX = { frequent: 5, highlight: 8, focus: 11 };  // 2-D marker sizes (3-D: 2.5 smaller)
const MAX_FREQUENT_LABELS = 150;  // 2-D: at most this many labels for frequent words in view
const LABELS_3D = 25;             // 3-D: the most frequent words labelled
const COLOURS = { frequent: "#3d4552", quiet: "#7d8594", highlight: "#a34a00", focus: "#c01c28" };
const GL_ABOVE = 5000;  // more projected words than this are drawn with WebGL (faster, but above the labels)
const POSITIONS = [  // tried in this order: [dx, dy (up), plotly textposition]
  [1, 0, "middle right"], [1, 1, "top right"], [-1, 0, "middle left"], [0, 1, "top center"],
  [0, -1, "bottom center"], [-1, 1, "top left"], [1, -1, "bottom right"], [-1, -1, "bottom left"],
];
const state = {
  info: null, proj: null, index: new Map(), focus: null, highlight: [], extra: new Map(),
  traces: [], layout: null, bound: false, labels: [],
};
const measure = document.createElement("canvas").getContext("2d");

async function api(path) {
  const response = await fetch(path);
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  if (!response.ok) {
    let detail = body && body.detail !== undefined ? body.detail : response.statusText;
    if (Array.isArray(detail)) {  // FastAPI's 422: a list of {loc, msg}
      detail = detail.map((d) => `${(d.loc || []).slice(-1)[0]}: ${d.msg}`).join("; ");
    }
    throw new Error(String(detail));
  }
  return body;
}

function showError(err) { $("error").textContent = err ? String(err.message || err) : ""; }

function q(params) {
  return Object.entries(params).flatMap(([k, v]) => (Array.isArray(v) ? v : [v])
    .map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`)).join("&");
}

const fmt = (n) => n.toLocaleString("en-US");

async function loadProjection() {
  const method = $("method").value, dims = $("dims").value, limit = $("limit").value;
  $("summary").textContent = `computing ${method.toUpperCase()} of ${limit} words…`;
  try {
    state.proj = await api(`/api/projection?${q({ method, dims, limit })}`);
    state.index = new Map(state.proj.words.map((w, i) => [w, i]));
    state.extra = new Map();
    showError(null);
    await locate([state.focus, ...state.highlight].filter((w) => w));
    await draw();
    $("summary").textContent = `${fmt(state.info.words)} words × ${state.info.dimensions} dimensions; ` +
      `showing the ${fmt(state.proj.words.length)} most frequent (${method}, ${dims}-D), ` +
      `${state.labels.length} labelled.`;
  } catch (err) {
    showError(err);
    $("summary").textContent = "projection failed";
  }
}

// Words outside the projected set get coordinates from the server (PCA: the same fitted projection;
// t-SNE/UMAP: among their nearest projected words). Returns the newly placed points.
async function locate(words) {
  const p = state.proj;
  const missing = [...new Set(words)].filter((w) => !state.index.has(w) && !state.extra.has(w)).slice(0, 50);
  if (!p || !missing.length) return [];
  const res = await api(`/api/locate?${q({ method: p.method, dims: p.dims, limit: p.words.length, word: missing })}`);
  res.points.forEach((pt) => state.extra.set(pt.word, pt));
  return res.points;
}

function placementNote(points) {
  if (!points.length) return "";
  const n = fmt(state.proj.words.length), names = points.map((pt) => `“${pt.word}”`).join(", ");
  const how = points[0].placement === "pca"
    ? "placed by the same PCA"
    : `placed among their nearest projected words (${state.proj.method === "tsne" ? "t-SNE" : "UMAP"} ` +
      "cannot place new words exactly)";
  const one = points.length === 1;
  return `${names} ${one ? "is" : "are"} not among the ${n} projected words: ${how}, ` +
    `drawn as ${one ? "an open diamond" : "open diamonds"}.`;
}

function coordsOf(word) {
  if (state.index.has(word)) return state.proj.coords[state.index.get(word)];
  if (state.extra.has(word)) return state.extra.get(word).coords;
  return null;
}

function points(words, extra) {
  const p = state.proj, is3d = p.dims === 3, xyz = words.map(coordsOf);
  const t = {
    x: xyz.map((c) => c[0]), y: xyz.map((c) => c[1]), text: words, hoverinfo: "text",
    type: is3d ? "scatter3d" : "scatter", mode: "markers", showlegend: false,
  };
  if (is3d) t.z = xyz.map((c) => c[2]);
  return Object.assign(t, extra);
}

function draw() {
  const p = state.proj;
  if (!p) return Promise.resolve();
  const is3d = p.dims === 3, small = MARKER_PX.frequent - (is3d ? 2.5 : 0);
  const hl = state.highlight.filter((w) => coordsOf(w) && w !== state.focus);
  const focus = state.focus !== null && coordsOf(state.focus) ? [state.focus] : [];
  const extra = [...state.extra.keys()].filter((w) => w === state.focus || state.highlight.includes(w));
  const quiet = hl.length || focus.length;
  labelledFor = null;
  state.traces = [
    points(p.words, { type: is3d ? "scatter3d" : p.words.length > GL_ABOVE ? "scattergl" : "scatter",
                      marker: { size: small, color: quiet ? "#c8cdd6" : "#7f9cc4", opacity: 0.85 } }),
    points(hl, { marker: { size: small + 3, color: "#e8871e" } }),
    points(extra, { marker: { size: small + 6, color: "#a34a00", symbol: "diamond-open", line: { width: 2 } } }),
    points(focus, { marker: { size: small + 6, color: "#d62728" } }),
  ];
  state.layout = {
    margin: { l: 10, r: 10, t: 10, b: 10 }, hovermode: "closest", dragmode: is3d ? "orbit" : "pan",
    font: { family: FONT }, hoverlabel: { font: { family: FONT } },
    xaxis: { visible: false }, yaxis: { visible: false, scaleanchor: "x" },
    scene: { xaxis: { visible: false }, yaxis: { visible: false }, zaxis: { visible: false } },
    uirevision: `${p.method}-${p.dims}-${p.words.length}`,
  };
  const config = { responsive: true, scrollZoom: true, displaylogo: false };
  return Plotly.react("plot", [...state.traces, labelTrace([])], state.layout, config).then(() => {
    if (!state.bound) {
      $("plot").on("plotly_click", (ev) => { if (ev.points && ev.points.length) inspect(ev.points[0].text); });
      $("plot").on("plotly_relayout", () => { relabel(); });  // zoom, pan, resize: place the labels again
      state.bound = true;
    }
    return relabel();
  });
}

// Label candidates, most important first: the query, its neighbours or the analogy's words, then
// the projected words from the most frequent.
function candidates() {
  const seen = new Set(), out = [];
  const add = (word, kind) => { if (!seen.has(word) && coordsOf(word)) { seen.add(word); out.push({ word, kind }); } };
  if (state.focus) add(state.focus, "focus");
  state.highlight.forEach((w) => add(w, "highlight"));
  state.proj.words.forEach((w) => add(w, "frequent"));
  return out;
}

function textWidth(text, px, bold) {
  measure.font = `${bold ? "bold " : ""}${px}px ${FONT}`;
  return measure.measureText(text).width;
}

// 2-D: greedy placement in screen pixels; a label goes at the first of eight positions around its
// point (plotly's text positions) where it overlaps no label placed before it and stays in view.
function placeLabels() {
  const full = $("plot")._fullLayout, xa = full && full.xaxis, ya = full && full.yaxis;
  if (!xa || typeof xa.l2p !== "function") return [];
  const width = xa._length, height = ya._length, boxes = [], labels = [];
  // the query's markers are obstacles: no label of another word covers them
  for (const word of [state.focus, ...state.highlight]) {
    const c = word && coordsOf(word);
    if (c) boxes.push([xa.l2p(c[0]) - 6, ya.l2p(c[1]) - 6, xa.l2p(c[0]) + 6, ya.l2p(c[1]) + 6]);
  }
  const own = boxes.length;
  let frequent = 0;
  for (const c of candidates()) {
    if (c.kind === "frequent" && frequent >= MAX_FREQUENT_LABELS) break;
    const [x, y] = coordsOf(c.word), px = xa.l2p(x), py = ya.l2p(y);  // y grows downwards
    if (!(px >= 0 && px <= width && py >= 0 && py <= height)) continue;
    const size = c.kind === "focus" ? FOCUS_PX : LABEL_PX;
    const w = textWidth(c.word, size, false) + 3, h = size * 1.3;
    const r = MARKER_PX[c.kind] / 2 / 0.8 + 1;  // plotly's gap between a marker and its text
    let chosen = null;
    for (const [dx, dy, pos] of POSITIONS) {
      const left = dx > 0 ? px + r : dx < 0 ? px - r - w : px - w / 2;
      const top = dy > 0 ? py - r - h : dy < 0 ? py + r : py - h / 2;
      const box = [left, top, left + w, top + h];
      if (box[0] < 0 || box[2] > width || box[1] < 0 || box[3] > height) continue;
      if (boxes.some((b, i) => (i >= own || c.kind === "frequent")
          && box[0] < b[2] + 2 && b[0] < box[2] + 2 && box[1] < b[3] + 2 && b[1] < box[3] + 2)) continue;
      chosen = pos;
      boxes.push(box);
      break;
    }
    if (chosen === null && c.kind === "focus") chosen = "top center";  // the query is always labelled
    if (chosen === null) continue;
    labels.push({ word: c.word, kind: c.kind, x, y, pos: chosen });
    if (c.kind === "frequent") frequent += 1;
  }
  return labels;
}

function labels3d() {
  let frequent = 0;
  return candidates().filter((c) => c.kind !== "frequent" || frequent++ < LABELS_3D).map((c) => {
    const [x, y, z] = coordsOf(c.word);
    return { word: c.word, kind: c.kind, x, y, z, pos: "top center" };
  });
}

function labelTrace(labels) {
  const is3d = state.proj.dims === 3, quiet = labels.some((l) => l.kind !== "frequent");
  const t = {
    x: labels.map((l) => l.x), y: labels.map((l) => l.y), text: labels.map((l) => l.word),
    customdata: labels.map((l) => l.kind), mode: "markers+text", type: is3d ? "scatter3d" : "scatter",
    // invisible markers as large as the drawn ones: plotly sets text that far from its point
    marker: { size: labels.map((l) => MARKER_PX[l.kind]), opacity: 0 },
    textposition: labels.map((l) => l.pos), hoverinfo: "skip", showlegend: false, cliponaxis: false,
    textfont: { family: FONT, size: labels.map((l) => (l.kind === "focus" ? FOCUS_PX : LABEL_PX)),
                color: labels.map((l) => COLOURS[l.kind === "frequent" && quiet ? "quiet" : l.kind]),
                shadow: "auto" },  // a halo in the background colour keeps labels legible over dots
  };
  if (is3d) t.z = labels.map((l) => l.z);
  return t;
}

// What the labels were placed for: the words shown and, in 2-D, the visible ranges and plot size.
function viewKey() {
  const full = $("plot")._fullLayout || {}, xa = full.xaxis || {}, ya = full.yaxis || {};
  return JSON.stringify([state.traces.map((t) => t.text.length), state.focus, state.highlight, state.proj.dims,
                         xa.range, ya.range, xa._length, ya._length]);
}

let labelledFor = null;
function relabel() {
  if (!state.proj) return Promise.resolve();
  const key = viewKey();
  if (key === labelledFor) return Promise.resolve();  // nothing moved: no redraw (and no relayout loop)
  labelledFor = key;
  state.labels = state.proj.dims === 3 ? labels3d() : placeLabels();
  return Plotly.react("plot", [...state.traces, labelTrace(state.labels)], state.layout)
    .then(() => { $("plot").dataset.labels = String(state.labels.length); });
}

function renderList(ol, items, onPick) {
  ol.replaceChildren(...items.map((item) => {
    const li = document.createElement("li");
    li.dataset.word = item.word;
    const w = document.createElement("span");
    w.className = "word";
    w.textContent = item.word;
    const s = document.createElement("span");
    s.className = "sim";
    s.textContent = item.similarity.toFixed(4);
    li.append(w, s);
    li.addEventListener("click", () => onPick(item.word));
    return li;
  }));
}

async function search(word) {
  word = word.trim();
  if (!word) return;
  $("search").value = word;
  const topn = $("topn").value || 10;
  try {
    const res = await api(`/api/neighbors?${q({ word, topn })}`);
    showError(null);
    renderList($("neighbors"), res.neighbors, search);
    state.focus = word;
    state.highlight = res.neighbors.map((n) => n.word);
    const inside = state.highlight.filter((w) => state.index.has(w)).length;
    const placed = await locate([word, ...state.highlight]);
    $("search-note").textContent = `${inside} of ${res.neighbors.length} neighbours are among the projected words. ` +
      placementNote(placed.filter((pt) => pt.placement !== "projected"));
    await draw();
    inspect(word);
  } catch (err) {
    $("neighbors").replaceChildren();
    $("search-note").textContent = "";
    showError(err);
  }
}

async function solveAnalogy() {
  const a = $("analogy-a").value.trim(), b = $("analogy-b").value.trim(), c = $("analogy-c").value.trim();
  if (!a || !b || !c) { showError("fill in all three words"); return; }
  try {
    const res = await api(`/api/analogy?${q({ a, b, c, topn: 5 })}`);
    showError(null);
    renderList($("analogy-results"), res.results, search);
    state.focus = res.results.length ? res.results[0].word : null;
    state.highlight = [a, b, c];
    const placed = await locate([a, b, c, ...(state.focus ? [state.focus] : [])]);
    const answer = state.focus ? `The answer, “${state.focus}”, is shown in red. ` : "";
    $("analogy-note").textContent = answer + placementNote(placed.filter((pt) => pt.placement !== "projected"));
    await draw();
  } catch (err) {
    $("analogy-results").replaceChildren();
    $("analogy-note").textContent = "";
    showError(err);
  }
}

async function inspect(word) {
  try {
    const res = await api(`/api/word/${encodeURIComponent(word)}?topn=5`);
    const rows = [
      ["word", res.word], ["rank", `#${res.index + 1}`], ["count", res.count === null ? "—" : res.count.toLocaleString()],
      ["norm", res.norm.toFixed(4)], ["first values", res.vector_head.map((v) => v.toFixed(3)).join(" ")],
      ["nearest", res.neighbors.map((n) => `${n.word} (${n.similarity.toFixed(3)})`).join(", ")],
    ];
    const table = document.createElement("table");
    for (const [k, v] of rows) {
      const tr = table.insertRow();
      tr.insertCell().textContent = k;
      tr.insertCell().textContent = v;
    }
    $("inspect").classList.remove("muted");
    $("inspect").replaceChildren(table);
  } catch (err) {
    showError(err);
  }
}

async function main() {
  try {
    state.info = await api("/api/info");
  } catch (err) {
    showError(err);
    return;
  }
  document.title = state.info.title;
  $("limit").value = state.info.default_limit;
  if (state.info.api_docs) {
    const link = document.createElement("a");
    link.href = "/docs";
    link.textContent = "/docs";
    $("docs-link").replaceChildren("; interactive docs at ", link);
  }
  // t-SNE and UMAP take fewer words than PCA: the field's maximum follows the method
  const maxLimit = () => { $("limit").max = (state.info.max_limits || {})[$("method").value] || state.info.max_limit; };
  maxLimit();
  $("method").addEventListener("change", maxLimit);
  $("projection-form").addEventListener("submit", (e) => { e.preventDefault(); loadProjection(); });
  $("search-form").addEventListener("submit", (e) => { e.preventDefault(); search($("search").value); });
  $("analogy-form").addEventListener("submit", (e) => { e.preventDefault(); solveAnalogy(); });
  await loadProjection();
}

main();
