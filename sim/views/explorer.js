// disputesim explorer: plain JavaScript on 2D canvases, no library, no network.
// The data is the JSON in <script id="data">; see sim/views/explorer.py for its shape.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("data").textContent);
  const points = data.points, figures = data.figures, levers = data.levers;
  const N = points.length;
  const INK = "#222", FAINT = "#d8d8d8", MID = "#888", BAND = "rgba(0,0,0,0.12)";

  // --- numbers as people read them ------------------------------------------------------
  function significant(x) {
    if (x === null || x === undefined || !isFinite(x)) return "n/a";
    const a = Math.abs(x);
    if (a >= 1000) return Math.round(x).toLocaleString("en");
    return String(Number(x.toPrecision(3)));
  }
  function shown(figure, v) {
    if (v === null || v === undefined) return "n/a";
    return figure.share ? significant(v * 100) + "%" : significant(v);
  }
  function shownLever(lever, v) {
    if (typeof v === "string") return v;
    if (typeof v === "boolean") return v ? "true" : "false";
    return significant(v);
  }

  // --- the axes: levers, then the figures' means -----------------------------------------
  const focus = data.focus.map(function (key) { return figures.find(function (f) { return f.key === key; }); });
  const axes = levers.map(function (l) { return { kind: "lever", key: l.key, label: l.label, lever: l }; })
    .concat(focus.map(function (f) { return { kind: "figure", key: f.key, label: f.label, figure: f }; }));
  const columns = axes.map(function (axis) {
    const column = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      let v;
      if (axis.kind === "lever") {
        v = points[i].levers[axis.key];
        if (axis.lever.kind === "category") v = axis.lever.values.indexOf(v);
      } else {
        const s = points[i].stats[axis.key];
        v = s ? s[0] : null;
      }
      column[i] = (v === null || v === undefined) ? NaN : Number(v);
    }
    return column;
  });
  const extent = columns.map(function (column, a) {
    const axis = axes[a];
    if (axis.kind === "lever" && axis.lever.kind === "category") return [0, Math.max(1, axis.lever.values.length - 1)];
    if (axis.kind === "lever") return [axis.lever.low, axis.lever.high];
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < N; i++) { const v = column[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
    if (!isFinite(lo)) return [0, 1];
    if (lo === hi) { lo -= 0.5 * (Math.abs(lo) || 1); hi += 0.5 * (Math.abs(hi) || 1); }
    return [lo, hi];
  });

  // --- the filter: lever ranges and sets, and brushes on any axis ------------------------
  const ranges = {};   // lever axis index -> [lo, hi]
  const allowed = {};  // categorical lever axis index -> Set of value indices
  const brushes = {};  // axis index -> [lo, hi] in the axis's values
  let selected = new Uint8Array(N).fill(1);
  let count = N, lastFilterMs = 0;

  function filter() {
    const start = performance.now();
    let kept = 0;
    const active = [];
    axes.forEach(function (axis, a) {
      if (ranges[a]) active.push([a, ranges[a][0], ranges[a][1]]);
      if (brushes[a]) active.push([a, brushes[a][0], brushes[a][1]]);
    });
    const sets = Object.keys(allowed).map(Number);
    for (let i = 0; i < N; i++) {
      let ok = 1;
      for (let k = 0; k < active.length && ok; k++) {
        const v = columns[active[k][0]][i];
        if (!(v >= active[k][1] && v <= active[k][2])) ok = 0;
      }
      for (let k = 0; k < sets.length && ok; k++) {
        if (!allowed[sets[k]].has(columns[sets[k]][i])) ok = 0;
      }
      selected[i] = ok;
      kept += ok;
    }
    count = kept;
    lastFilterMs = performance.now() - start;
    document.body.dataset.selected = String(count);
    render();
  }

  // --- the page ---------------------------------------------------------------------------
  const controls = document.getElementById("controls");
  const views = document.getElementById("views");
  function element(tag, attributes, parent) {
    const e = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (k) {
      if (k === "text") e.textContent = attributes[k]; else e.setAttribute(k, attributes[k]);
    });
    if (parent) parent.appendChild(e);
    return e;
  }
  function picker(id, label, options, chosen) {
    element("label", { "for": id, text: label }, controls);
    const select = element("select", { id: id }, controls);
    options.forEach(function (o) { element("option", { value: o[0], text: o[1] }, select); });
    if (chosen !== undefined) select.value = chosen;
    select.addEventListener("change", render);
    return select;
  }

  const setRange = {};  // numeric lever axis index -> function (lo, hi, active)
  levers.forEach(function (lever, a) {
    if (lever.kind === "category") {
      element("label", { text: lever.label + " (values)" }, controls);
      allowed[a] = new Set(lever.values.map(function (_, k) { return k; }));
      lever.values.forEach(function (value, k) {
        const box = element("label", {}, controls);
        const input = element("input", { type: "checkbox", id: "lever-" + a + "-" + k, checked: "" }, box);
        box.appendChild(document.createTextNode(" " + shownLever(lever, value)));
        input.addEventListener("change", function () {
          if (input.checked) allowed[a].add(k); else allowed[a].delete(k);
          filter();
        });
      });
      return;
    }
    const label = element("label", { text: "" }, controls);
    const pair = element("div", { "class": "pair" }, controls);
    const step = (lever.high - lever.low) / 100 || 1;
    const low = element("input", { type: "range", id: "lever-" + a + "-low", min: lever.low, max: lever.high, step: step, value: lever.low }, pair);
    const high = element("input", { type: "range", id: "lever-" + a + "-high", min: lever.low, max: lever.high, step: step, value: lever.high }, pair);
    function shownRange() {
      let lo = Number(low.value), hi = Number(high.value);
      if (lo > hi) { const t = lo; lo = hi; hi = t; }
      label.textContent = lever.label + ": " + shownLever(lever, lo) + " to " + shownLever(lever, hi);
      return [lo, hi];
    }
    function moved() { ranges[a] = shownRange(); filter(); }
    setRange[a] = function (lo, hi, on) {
      low.value = lo; high.value = hi; shownRange();
      if (on) ranges[a] = [lo, hi]; else delete ranges[a];
    };
    shownRange();
    low.addEventListener("input", moved);
    high.addEventListener("input", moved);
  });

  const figureOptions = figures.map(function (f) { return [f.key, f.label]; });
  const leverOptions = levers.length ? levers.map(function (l) { return [l.key, l.label]; }) : [["", "point"]];
  const first = focus.length ? focus[0].key : undefined, second = focus.length > 1 ? focus[1].key : (figures.length > 1 ? figures[1].key : first);
  const chartFigure = picker("chart-figure", "figure against a lever", figureOptions, first);
  const chartLever = picker("chart-lever", "the lever", leverOptions);
  const scatterX = picker("scatter-x", "scatter: across", figureOptions, first);
  const scatterY = picker("scatter-y", "scatter: up", figureOptions, second);
  const reference = data.kind === "compare"
    ? picker("reference", "paired differences from", points.map(function (p) { return [String(p.id), p.name]; }))
    : null;
  data.boxes.forEach(function (box, b) {
    const button = element("button", { id: "box-" + b, text: "select the box: " + box.condition.figure + " " + box.condition.side + " " + box.condition.level }, controls);
    button.addEventListener("click", function () { applyBox(box); });
  });
  const reset = element("button", { id: "reset", text: "select every point" }, controls);
  reset.addEventListener("click", function () {
    Object.keys(brushes).forEach(function (k) { delete brushes[k]; });
    levers.forEach(function (lever, a) {
      if (lever.kind === "category") {
        allowed[a] = new Set(lever.values.map(function (_, k) { return k; }));
        lever.values.forEach(function (_, k) { document.getElementById("lever-" + a + "-" + k).checked = true; });
      } else {
        setRange[a](lever.low, lever.high, false);
      }
    });
    filter();
  });

  function applyBox(box) {
    levers.forEach(function (lever, a) {
      const limit = box.limits[lever.key];
      if (!limit) return;
      if (limit.values) {
        allowed[a] = new Set(limit.values.map(function (v) { return lever.values.indexOf(v); }));
        lever.values.forEach(function (_, k) { document.getElementById("lever-" + a + "-" + k).checked = allowed[a].has(k); });
      } else {
        setRange[a](limit.low, limit.high, true);
      }
    });
    filter();
  }

  const width = Math.max(760, Math.min(1400, window.innerWidth - 360));
  const parallel = element("canvas", { id: "parallel", width: width, height: 330 }, views);
  const charts = element("div", { "class": "charts" }, views);
  const chart = element("canvas", { id: "chart", width: Math.floor(width / 2) - 8, height: 300 }, charts);
  const scatter = element("canvas", { id: "scatter", width: Math.floor(width / 2) - 8, height: 300 }, charts);
  const tablebox = element("div", { id: "tablebox" }, views);

  // --- parallel coordinates, with a brush on every axis ----------------------------------
  const spacing = (width - 80) / Math.max(1, axes.length - 1);
  const side = Math.max(40, Math.min(80, spacing / 2));
  const PAD = { left: side, right: side, top: 46, bottom: 28 };
  function axisX(a) {
    const span = parallel.width - PAD.left - PAD.right;
    return PAD.left + (axes.length > 1 ? span * a / (axes.length - 1) : span / 2);
  }
  function toY(a, v) {
    const e = extent[a], h = parallel.height - PAD.top - PAD.bottom;
    return PAD.top + h * (1 - (v - e[0]) / (e[1] - e[0]));
  }
  function fromY(a, y) {
    const e = extent[a], h = parallel.height - PAD.top - PAD.bottom;
    return e[0] + (1 - (y - PAD.top) / h) * (e[1] - e[0]);
  }
  function axisLabel(axis, v) {
    if (axis.kind === "lever") {
      if (axis.lever.kind === "category") return axis.lever.values[Math.round(v)] === undefined ? "" : shownLever(axis.lever, axis.lever.values[Math.round(v)]);
      return shownLever(axis.lever, v);
    }
    return shown(axis.figure, v);
  }
  function drawParallel() {
    const g = parallel.getContext("2d");
    g.clearRect(0, 0, parallel.width, parallel.height);
    for (let pass = 0; pass < 2; pass++) {
      g.strokeStyle = pass ? INK : FAINT;
      g.globalAlpha = pass ? Math.max(0.15, Math.min(0.9, 40 / Math.max(1, count))) : 0.6;
      g.beginPath();
      for (let i = 0; i < N; i++) {
        if (selected[i] !== pass) continue;
        let started = false;
        for (let a = 0; a < axes.length; a++) {
          const v = columns[a][i];
          if (isNaN(v)) { started = false; continue; }
          const x = axisX(a), y = toY(a, v);
          if (started) g.lineTo(x, y); else { g.moveTo(x, y); started = true; }
        }
      }
      g.stroke();
    }
    g.globalAlpha = 1;
    g.font = "11px system-ui, sans-serif";
    g.textAlign = "center";
    axes.forEach(function (axis, a) {
      const x = axisX(a);
      g.strokeStyle = MID;
      g.beginPath(); g.moveTo(x, PAD.top); g.lineTo(x, parallel.height - PAD.bottom); g.stroke();
      g.fillStyle = INK;
      const words = wrap(g, axis.label, Math.max(40, (parallel.width - PAD.left - PAD.right) / Math.max(1, axes.length - 1) - 6));
      words.forEach(function (w, k) { g.fillText(w, x, 14 + 12 * k); });
      g.fillStyle = MID;
      g.fillText(axisLabel(axis, extent[a][1]), x, PAD.top - 4);
      g.fillText(axisLabel(axis, extent[a][0]), x, parallel.height - PAD.bottom + 14);
      if (brushes[a]) {
        const y1 = toY(a, brushes[a][1]), y0 = toY(a, brushes[a][0]);
        g.fillStyle = "rgba(0,0,0,0.18)";
        g.fillRect(x - 7, y1, 14, y0 - y1);
        g.strokeStyle = INK;
        g.strokeRect(x - 7, y1, 14, y0 - y1);
      }
    });
  }
  function wrap(g, text, room) {
    const lines = [""];
    text.split(" ").forEach(function (word) {
      const line = lines[lines.length - 1], joined = line ? line + " " + word : word;
      if (g.measureText(joined).width <= room || !line) lines[lines.length - 1] = joined;
      else if (lines.length < 2) lines.push(word);
      else lines[1] = (lines[1] + " " + word).slice(0, 40);
    });
    return lines;
  }
  let dragging = null;
  function nearestAxis(x) {
    let best = -1, distance = 14;
    axes.forEach(function (_, a) { const d = Math.abs(axisX(a) - x); if (d < distance) { best = a; distance = d; } });
    return best;
  }
  function position(event) {
    const r = parallel.getBoundingClientRect();
    return [(event.clientX - r.left) * parallel.width / r.width, (event.clientY - r.top) * parallel.height / r.height];
  }
  parallel.addEventListener("mousedown", function (event) {
    const p = position(event), a = nearestAxis(p[0]);
    if (a < 0) return;
    dragging = { axis: a, from: p[1] };
    event.preventDefault();
  });
  window.addEventListener("mousemove", function (event) {
    if (!dragging) return;
    const y = position(event)[1], a = dragging.axis;
    const top = Math.max(PAD.top, Math.min(dragging.from, y)), bottom = Math.min(parallel.height - PAD.bottom, Math.max(dragging.from, y));
    if (bottom - top >= 3) { brushes[a] = [fromY(a, bottom), fromY(a, top)]; filter(); }
  });
  window.addEventListener("mouseup", function (event) {
    if (!dragging) return;
    const y = position(event)[1];
    if (Math.abs(y - dragging.from) < 3) { delete brushes[dragging.axis]; filter(); }  // a click clears
    dragging = null;
  });

  // --- a figure against a lever, with the intervals --------------------------------------
  function frame(canvas, xs, ys, xLabel, yLabel, xShown, yShown, xTop, yTop) {
    const g = canvas.getContext("2d");
    g.clearRect(0, 0, canvas.width, canvas.height);
    const box = { left: 56, right: canvas.width - 12, top: 22, bottom: canvas.height - 40 };
    const pad = function (e) {  // a margin, never below zero for values that cannot be negative
      const d = (e[1] - e[0]) || Math.abs(e[0]) || 1;
      return [e[0] >= 0 ? Math.max(0, e[0] - 0.06 * d) : e[0] - 0.06 * d, e[1] + 0.06 * d];
    };
    const ex = pad(xs), ey = pad(ys);  // and never past a share's 100%
    if (xTop !== undefined) ex[1] = Math.min(ex[1], Math.max(xs[1], xTop));
    if (yTop !== undefined) ey[1] = Math.min(ey[1], Math.max(ys[1], yTop));
    const X = function (v) { return box.left + (box.right - box.left) * (v - ex[0]) / (ex[1] - ex[0]); };
    const Y = function (v) { return box.bottom - (box.bottom - box.top) * (v - ey[0]) / (ey[1] - ey[0]); };
    g.strokeStyle = MID; g.strokeRect(box.left, box.top, box.right - box.left, box.bottom - box.top);
    g.fillStyle = INK; g.font = "11px system-ui, sans-serif"; g.textAlign = "center";
    g.fillText(xLabel, (box.left + box.right) / 2, canvas.height - 8);
    for (let k = 0; k <= 4; k++) {
      const vx = ex[0] + (ex[1] - ex[0]) * k / 4, vy = ey[0] + (ey[1] - ey[0]) * k / 4;
      g.fillStyle = MID;
      g.fillText(xShown(vx), X(vx), box.bottom + 14);
      g.textAlign = "right"; g.fillText(yShown(vy), box.left - 4, Y(vy) + 4); g.textAlign = "center";
    }
    g.save(); g.translate(12, (box.top + box.bottom) / 2); g.rotate(-Math.PI / 2); g.fillStyle = INK; g.fillText(yLabel, 0, 0); g.restore();
    return { g: g, X: X, Y: Y };
  }
  function figureOf(key) { return figures.find(function (f) { return f.key === key; }); }
  function drawChart() {
    const figure = figureOf(chartFigure.value);
    if (!figure) return;
    const lever = levers.find(function (l) { return l.key === chartLever.value; });
    const xs = [], rows = [];
    for (let i = 0; i < N; i++) {
      if (!selected[i]) continue;
      const s = points[i].stats[figure.key];
      if (!s || s[0] === null) continue;
      let x = i;
      if (lever) { x = points[i].levers[lever.key]; if (lever.kind === "category") x = lever.values.indexOf(x); }
      rows.push([Number(x), s[0], s[1], s[2]]);
      xs.push(Number(x));
    }
    const ex = lever ? (lever.kind === "category" ? [0, lever.values.length - 1] : [lever.low, lever.high]) : [0, Math.max(1, N - 1)];
    let lo = Infinity, hi = -Infinity;
    rows.forEach(function (r) { lo = Math.min(lo, r[2]); hi = Math.max(hi, r[3]); });
    if (!rows.length) { lo = 0; hi = 1; }
    if (figure.share) { lo = Math.max(0, lo); hi = Math.min(1, hi); }
    const xShown = lever ? function (v) { return lever.kind === "category" ? (lever.values[Math.round(v)] === undefined ? "" : String(lever.values[Math.round(v)])) : significant(v); } : function (v) { return String(Math.round(v)); };
    const f = frame(chart, ex, [lo, hi], lever ? lever.label : "point", figure.label, xShown, function (v) { return shown(figure, v); },
      undefined, figure.share ? 1 : undefined);
    // the band: binned means of the selected points' means, +- 1.96 standard errors, within the range
    const bins = 8, sums = new Array(bins).fill(0), squares = new Array(bins).fill(0), counts = new Array(bins).fill(0);
    rows.forEach(function (r) {
      const b = Math.min(bins - 1, Math.max(0, Math.floor(bins * (r[0] - ex[0]) / ((ex[1] - ex[0]) || 1))));
      sums[b] += r[1]; squares[b] += r[1] * r[1]; counts[b] += 1;
    });
    const band = [];
    for (let b = 0; b < bins; b++) {
      if (counts[b] < 2) continue;
      const mean = sums[b] / counts[b], sd = Math.sqrt(Math.max(0, squares[b] / counts[b] - mean * mean) * counts[b] / (counts[b] - 1));
      const half = 1.96 * sd / Math.sqrt(counts[b]);
      const x = ex[0] + (b + 0.5) * (ex[1] - ex[0]) / bins;
      band.push([x, Math.max(lo, mean - half), Math.min(hi, mean + half)]);
    }
    if (band.length > 1) {
      f.g.fillStyle = BAND; f.g.beginPath();
      band.forEach(function (p, k) { if (k) f.g.lineTo(f.X(p[0]), f.Y(p[2])); else f.g.moveTo(f.X(p[0]), f.Y(p[2])); });
      band.slice().reverse().forEach(function (p) { f.g.lineTo(f.X(p[0]), f.Y(p[1])); });
      f.g.closePath(); f.g.fill();
    }
    f.g.strokeStyle = MID; f.g.fillStyle = INK;
    rows.forEach(function (r) {
      f.g.beginPath(); f.g.moveTo(f.X(r[0]), f.Y(r[2])); f.g.lineTo(f.X(r[0]), f.Y(r[3])); f.g.stroke();
      f.g.beginPath(); f.g.arc(f.X(r[0]), f.Y(r[1]), 2.5, 0, 2 * Math.PI); f.g.fill();
    });
  }

  // --- two figures, the Pareto set marked -----------------------------------------------
  function drawScatter() {
    const fx = figureOf(scatterX.value), fy = figureOf(scatterY.value);
    if (!fx || !fy) return;
    const rows = [];
    for (let i = 0; i < N; i++) {
      const sx = points[i].stats[fx.key], sy = points[i].stats[fy.key];
      if (!selected[i] || !sx || !sy || sx[0] === null || sy[0] === null) continue;
      rows.push([sx[0], sy[0], i]);
    }
    const ex = [Infinity, -Infinity], ey = [Infinity, -Infinity];
    rows.forEach(function (r) { ex[0] = Math.min(ex[0], r[0]); ex[1] = Math.max(ex[1], r[0]); ey[0] = Math.min(ey[0], r[1]); ey[1] = Math.max(ey[1], r[1]); });
    if (!rows.length) { ex[0] = ey[0] = 0; ex[1] = ey[1] = 1; }
    const f = frame(scatter, ex, ey, fx.label, fy.label, function (v) { return shown(fx, v); }, function (v) { return shown(fy, v); },
      fx.share ? 1 : undefined, fy.share ? 1 : undefined);
    const marked = paretoSet(rows);
    rows.forEach(function (r) {
      f.g.fillStyle = marked.has(r[2]) ? INK : MID;
      f.g.beginPath(); f.g.arc(f.X(r[0]), f.Y(r[1]), marked.has(r[2]) ? 4 : 2.5, 0, 2 * Math.PI); f.g.fill();
      if (marked.has(r[2])) { f.g.strokeStyle = INK; f.g.beginPath(); f.g.arc(f.X(r[0]), f.Y(r[1]), 7, 0, 2 * Math.PI); f.g.stroke(); }
    });
    f.g.fillStyle = INK; f.g.textAlign = "left";
    f.g.fillText(data.kind === "optimisation" ? "ringed: the search's candidates" : "ringed: no other point lower on both", 60, 16);
  }
  function paretoSet(rows) {
    if (data.kind === "optimisation") {
      const ids = new Set(data.pareto);
      return new Set(rows.filter(function (r) { return ids.has(points[r[2]].id); }).map(function (r) { return r[2]; }));
    }
    const sorted = rows.slice().sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    const found = new Set();
    let best = Infinity;
    sorted.forEach(function (r) { if (r[1] < best) { found.add(r[2]); best = r[1]; } });
    return found;
  }

  // --- the table of the selected points --------------------------------------------------
  const ROWS = 500;
  function drawTable() {
    const ref = reference ? Number(reference.value) : null;
    const pairs = ref !== null ? data.pairs[String(ref)] || {} : null;
    let body = "<table id='points'><thead><tr><th>point</th>";
    levers.forEach(function (l) { body += "<th>" + escape(l.label) + "</th>"; });
    if (data.kind === "optimisation") body += "<th>P(Pareto)</th>";
    figures.forEach(function (f) { body += "<th>" + escape(f.label) + (f.share ? "" : " (" + escape(f.unit) + ")") + "</th>"; });
    body += "</tr></thead><tbody>";
    let shownRows = 0;
    for (let i = 0; i < N && shownRows < ROWS; i++) {
      if (!selected[i]) continue;
      const p = points[i];
      shownRows += 1;
      body += "<tr><td class='name'>" + escape(p.name) + "</td>";
      levers.forEach(function (l) { body += "<td>" + escape(shownLever(l, p.levers[l.key])) + "</td>"; });
      if (data.kind === "optimisation") body += "<td>" + (p.probability === null ? "" : significant(p.probability)) + "</td>";
      figures.forEach(function (f) {
        let s = p.stats[f.key], text = "n/a";
        if (pairs && p.id !== ref && pairs[String(p.id)]) {
          s = pairs[String(p.id)][f.key];
          text = s && s[0] !== null ? signed(f, s[0]) + " [" + signed(f, s[1]) + ", " + signed(f, s[2]) + "]" : "n/a";
        } else if (s && s[0] !== null) {
          text = shown(f, s[0]) + " [" + shown(f, s[1]) + ", " + shown(f, s[2]) + "]";
        }
        body += "<td>" + text + "</td>";
      });
      body += "</tr>";
    }
    body += "</tbody></table>";
    const note = count > ROWS ? "<p class='muted'>the first " + ROWS + " of " + count + " selected points</p>" : "";
    const paired = pairs ? "<p class='muted'>rows other than " + escape(points.find(function (p) { return p.id === ref; }).name) + ": paired difference from it [95% CI], common random numbers</p>" : "";
    tablebox.innerHTML = paired + note + body;
  }
  function signed(f, v) { const t = shown(f, v); return v > 0 ? "+" + t : t; }
  function escape(text) { return String(text).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c]; }); }

  function render() {
    document.getElementById("summary").textContent = count + " of " + N + " points selected" +
      (data.kind === "compare" ? " (scenarios)" : "") + "; 95% intervals over each point's replications";
    drawParallel();
    drawChart();
    drawScatter();
    drawTable();
  }

  window.explorer = {
    data: data,
    selectedCount: function () { return count; },
    lastFilterMs: function () { return lastFilterMs; },
    brushes: function () { const out = {}; Object.keys(brushes).forEach(function (a) { out[axes[a].key] = brushes[a].slice(); }); return out; },
    axisX: function (key) { const a = axes.findIndex(function (axis) { return axis.key === key; }); const r = parallel.getBoundingClientRect(); return r.left + axisX(a) * r.width / parallel.width; },
    axisY: function (key, v) { const a = axes.findIndex(function (axis) { return axis.key === key; }); const r = parallel.getBoundingClientRect(); return r.top + toY(a, v) * r.height / parallel.height; },
    refilter: filter,
  };
  filter();
})();
