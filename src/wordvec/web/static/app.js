// wordvec projector page: draws the server's projection with the locally served plotly.js,
// and wires the search, analogy and inspect panels to the JSON API. No network beyond this server.
"use strict";

const $ = (id) => document.getElementById(id);
// The page's font stack (style.css, Korean-capable fonts included) for the text plotly draws in SVG.
const FONT = getComputedStyle(document.body).fontFamily || "sans-serif";
const state = { info: null, proj: null, index: new Map(), focus: null, highlight: [], bound: false };

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
  return Object.entries(params).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
}

async function loadProjection() {
  const method = $("method").value, dims = $("dims").value, limit = $("limit").value;
  $("summary").textContent = `computing ${method.toUpperCase()} of ${limit} words…`;
  try {
    state.proj = await api(`/api/projection?${q({ method, dims, limit })}`);
    state.index = new Map(state.proj.words.map((w, i) => [w, i]));
    showError(null);
    draw();
    $("summary").textContent = `${state.info.words.toLocaleString()} words × ${state.info.dimensions} dimensions; ` +
      `showing the ${state.proj.words.length.toLocaleString()} most frequent (${method}, ${dims}-D).`;
  } catch (err) {
    showError(err);
    $("summary").textContent = "projection failed";
  }
}

function trace(indices, extra) {
  const p = state.proj, is3d = p.dims === 3;
  const t = {
    x: indices.map((i) => p.coords[i][0]),
    y: indices.map((i) => p.coords[i][1]),
    text: indices.map((i) => p.words[i]),
    hoverinfo: "text",
    type: is3d ? "scatter3d" : "scattergl",
    mode: "markers",
    showlegend: false,
  };
  if (is3d) t.z = indices.map((i) => p.coords[i][2]);
  return Object.assign(t, extra);
}

function draw() {
  const p = state.proj;
  if (!p) return;
  const all = p.words.map((_, i) => i);
  const hl = state.highlight.filter((w) => state.index.has(w)).map((w) => state.index.get(w));
  const focus = state.focus !== null && state.index.has(state.focus) ? [state.index.get(state.focus)] : [];
  const small = p.dims === 3 ? 2.5 : 5;
  const traces = [
    trace(all, { marker: { size: small, color: hl.length || focus.length ? "#c8cdd6" : "#4a78b5", opacity: 0.8 } }),
    trace(hl, { mode: "markers+text", textposition: "top center", type: p.dims === 3 ? "scatter3d" : "scatter",
                marker: { size: small + 3, color: "#e8871e" } }),
    trace(focus, { mode: "markers+text", textposition: "top center", type: p.dims === 3 ? "scatter3d" : "scatter",
                   marker: { size: small + 6, color: "#d62728" }, textfont: { size: 15 } }),
  ];
  const layout = {
    margin: { l: 10, r: 10, t: 10, b: 10 }, hovermode: "closest", dragmode: p.dims === 3 ? "orbit" : "pan",
    font: { family: FONT }, hoverlabel: { font: { family: FONT } },
    xaxis: { visible: false }, yaxis: { visible: false, scaleanchor: "x" },
    scene: { xaxis: { visible: false }, yaxis: { visible: false }, zaxis: { visible: false } },
    uirevision: `${p.method}-${p.dims}-${p.words.length}`,
  };
  Plotly.react("plot", traces, layout, { responsive: true, scrollZoom: true, displaylogo: false });
  if (!state.bound) {
    $("plot").on("plotly_click", (ev) => { if (ev.points && ev.points.length) inspect(ev.points[0].text); });
    state.bound = true;
  }
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
    const shown = state.highlight.filter((w) => state.index.has(w)).length;
    $("search-note").textContent = (state.index.has(word) ? "" : `“${word}” is not among the projected words. `) +
      `${shown} of ${res.neighbors.length} neighbours are in the projection.`;
    draw();
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
    draw();
  } catch (err) {
    $("analogy-results").replaceChildren();
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
