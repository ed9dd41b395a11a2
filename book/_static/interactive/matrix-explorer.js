/* The 2×2 matrix explorer (Lesson 2, "Play with a 2×2 matrix").
 *
 * The reader edits A = [[a, b], [c, d]] with sliders, number fields or
 * preset buttons, or drags the tips of Ae₁ and Ae₂ (the columns of A) in
 * the plane. The drawing shows the unit grid and unit circle mapped by A,
 * the eigenvector lines when the eigenvalues are real, the singular
 * vectors (the axes of the image ellipse) and the unit square's image,
 * whose area is |det A|. Every number is printed beside it.
 *
 * The decompositions are computed here in closed form;
 * tests/test_interactive.py compares what this page prints with NumPy's
 * eig and svd for the same matrices.
 */
(function () {
  "use strict";

  const I = window.MathsForML.interactive;
  const fmt = I.format;

  // Entries within this fraction of the largest entry count as equal:
  // decimals typed by a reader carry rounding errors of about 1e-16.
  const REL_TOL = 1e-10;
  const ENTRY_MIN = -5;
  const ENTRY_MAX = 5;
  const SLIDER_MIN = -3; // the sliders cover the useful range; fields go further
  const SLIDER_MAX = 3;
  const DRAG_STEP = 0.05; // dragged tips snap to this grid
  const PRESETS = [
    ["Symmetric", [[2, 1], [1, 2]]],
    ["Rotation", [[0.8, -0.6], [0.6, 0.8]]],
    ["Shear", [[1, 1], [0, 1]]],
    ["Singular", [[1, 2], [0.5, 1]]],
    ["Reflection", [[0, 1], [1, 0]]],
    ["Stretch", [[2, 0], [0, 0.5]]],
  ];

  // ---- Linear algebra of a 2×2 matrix, in closed form -----------------

  function unit(x, y) {
    const n = Math.hypot(x, y);
    return [x / n, y / n];
  }

  // A direction has two unit vectors; print the one whose entry of largest
  // magnitude is positive (the first entry on a tie), the rule of the
  // library's svd.flip_signs and of scikit-learn, so that the numbers match
  // the book's and do not flip sign at random.
  function sign(v) {
    const big = Math.abs(v[1]) > Math.abs(v[0]) + 1e-12 ? v[1] : v[0];
    return big < 0 ? -1 : 1;
  }

  // A unit vector spanning the null space of the rank-1 matrix A − λI:
  // orthogonal to its larger row, which is the better-conditioned choice.
  function nullVector(a, b, c, d, lambda) {
    const r1 = [b, lambda - a]; // ⟂ row 1, (a − λ, b)
    const r2 = [lambda - d, c]; // ⟂ row 2, (c, d − λ)
    const v = Math.hypot(...r1) >= Math.hypot(...r2) ? r1 : r2;
    const u = unit(v[0], v[1]);
    const s = sign(u);
    return [s * u[0], s * u[1]];
  }

  function eigen(a, b, c, d, scale) {
    const trace = a + d;
    const det = a * d - b * c;
    const mid = trace / 2;
    // (a − d)² + 4bc equals tr² − 4 det without its cancellation, so a
    // triangular matrix with equal diagonal gives exactly zero.
    const disc = (a - d) * (a - d) + 4 * b * c;
    const tol = REL_TOL * scale * scale;
    if (disc < -tol) {
      return { kind: "complex", re: mid, im: Math.sqrt(-disc) / 2 };
    }
    if (disc <= tol) {
      const offDiagonal = Math.max(Math.abs(b), Math.abs(c), Math.abs(a - d));
      if (offDiagonal <= REL_TOL * scale) {
        // A = λI: every vector is an eigenvector; print the standard basis.
        return { kind: "scalar", values: [mid, mid], vectors: [[1, 0], [0, 1]] };
      }
      // A repeated eigenvalue with a single eigenvector line: defective.
      return {
        kind: "defective",
        values: [mid, mid],
        vectors: [nullVector(a, b, c, d, mid)],
      };
    }
    // The eigenvalue of larger magnitude from the quadratic formula, the
    // other from λ₁λ₂ = det A: no cancellation when one is near zero.
    const root = Math.sqrt(disc) / 2;
    const big = mid >= 0 ? mid + root : mid - root;
    const small = det / big;
    const values = big >= small ? [big, small] : [small, big];
    return {
      kind: "distinct",
      values: values,
      vectors: values.map((lambda) => nullVector(a, b, c, d, lambda)),
    };
  }

  // A = R(φ) diag(σ₁, ±σ₂) R(θ), with R a rotation (Blinn's closed form).
  // U = R(φ); V = R(−θ), its second column negated when det A < 0.
  function svd(a, b, c, d) {
    const E = (a + d) / 2;
    const F = (a - d) / 2;
    const G = (c + b) / 2;
    const H = (c - b) / 2;
    const s1 = Math.hypot(E, H) + Math.hypot(F, G);
    // σ₁σ₂ = |det A| gives σ₂ accurately when A is nearly singular.
    const s2 = s1 > 0 ? Math.abs(a * d - b * c) / s1 : 0;
    let theta = (Math.atan2(H, E) - Math.atan2(G, F)) / 2;
    let phi = (Math.atan2(H, E) + Math.atan2(G, F)) / 2;
    const flip = a * d - b * c < 0 ? -1 : 1;
    const equal = s1 - s2 <= REL_TOL * s1;
    if (equal) {
      // σ₁ = σ₂: A is σ times an orthogonal matrix and every unit vector is
      // a right singular vector. Print e₁, e₂: since diag(1, f) R(θ) =
      // R(fθ) diag(1, f), the same A has θ = 0 and φ + fθ.
      phi += flip * theta;
      theta = 0;
    }
    const v = [
      [Math.cos(theta), -Math.sin(theta)],
      [flip * Math.sin(theta), flip * Math.cos(theta)],
    ];
    const u = [
      [Math.cos(phi), Math.sin(phi)],
      [-Math.sin(phi), Math.cos(phi)],
    ];
    // The same sign convention as the eigenvectors, applied to v; u
    // follows so that A v = σ u still holds.
    for (let i = 0; i < 2; i++) {
      const s = sign(v[i]);
      v[i] = [s * v[i][0], s * v[i][1]];
      u[i] = [s * u[i][0], s * u[i][1]];
    }
    return { values: [s1, s2], u: u, v: v, equal: equal };
  }

  function analyse(m) {
    const [[a, b], [c, d]] = m;
    const scale = Math.max(Math.abs(a), Math.abs(b), Math.abs(c), Math.abs(d));
    const sv = svd(a, b, c, d);
    const [s1, s2] = sv.values;
    const rank = s1 <= 0 ? 0 : s2 <= REL_TOL * s1 ? 1 : 2;
    return {
      det: a * d - b * c,
      trace: a + d,
      eig: eigen(a, b, c, d, scale),
      svd: sv,
      rank: rank,
      cond: rank === 2 ? s1 / s2 : rank === 1 ? Infinity : NaN,
    };
  }

  // ---- Drawing ---------------------------------------------------------

  const SIZE = 480; // the SVG's viewBox is SIZE × SIZE pixels
  const PAD = 16;

  // The visible half-width, in plane units: the image ellipse and the unit
  // circle fit with a margin, rounded up to half units so the zoom changes
  // in steps rather than at every slider move.
  function extentFor(analysis) {
    const need = 1.12 * Math.max(analysis.svd.values[0], 1.4);
    return Math.ceil(need * 2) / 2;
  }

  function arrow(parent, from, to, cls, width) {
    const dx = to[0] - from[0];
    const dy = to[1] - from[1];
    const length = Math.hypot(dx, dy);
    if (length < 2) return; // a zero vector: nothing to point with
    const head = Math.min(12, length * 0.6);
    const ux = dx / length;
    const uy = dy / length;
    const base = [to[0] - head * ux, to[1] - head * uy];
    const g = I.svg("g", { class: "mfml-arrow " + cls }, parent);
    I.svg("line", {
      x1: from[0], y1: from[1], x2: base[0] + 0.5 * ux, y2: base[1] + 0.5 * uy,
      "stroke-width": width,
    }, g);
    const half = head * 0.45;
    I.svg("polygon", {
      points: [to, [base[0] - half * uy, base[1] + half * ux],
        [base[0] + half * uy, base[1] - half * ux]].map((p) => p.join(",")).join(" "),
    }, g);
  }

  // Labels are collected while drawing and placed last, each at the first
  // of a few spots around the tip of its vector (straight beyond the tip,
  // then turning away from it) whose box overlaps no earlier label or
  // handle. Boxes are estimated from the number of characters.
  const LABEL_TURNS = [0, 50, -50, 100, -100, 150, -150, 180];

  function placeLabels(parent, labels, obstacles) {
    const boxes = obstacles.slice();
    const overlaps = (b) => boxes.some((o) =>
      Math.abs(o[0] - b[0]) < o[2] + b[2] && Math.abs(o[1] - b[1]) < o[3] + b[3]);
    labels.forEach(({ tip, origin, html, cls }) => {
      let dx = tip[0] - origin[0];
      let dy = tip[1] - origin[1];
      const n = Math.hypot(dx, dy);
      [dx, dy] = n < 1e-9 ? [Math.SQRT1_2, -Math.SQRT1_2] : [dx / n, dy / n];
      const halfW = 5.5 * html.replace(/<[^>]*>/g, "").length + 2;
      const halfH = 10;
      let best = null;
      for (const turn of LABEL_TURNS) {
        const a = (turn * Math.PI) / 180;
        const ux = dx * Math.cos(a) - dy * Math.sin(a);
        const uy = dx * Math.sin(a) + dy * Math.cos(a);
        // Far enough along u that the box clears the tip and its handle.
        const d = 11 + Math.abs(ux) * halfW + Math.abs(uy) * halfH;
        const box = [tip[0] + d * ux, tip[1] + d * uy, halfW, halfH];
        if (!best) best = box;
        if (!overlaps(box)) { best = box; break; }
      }
      boxes.push(best);
      const t = I.svg("text", {
        x: best[0].toFixed(1), y: best[1].toFixed(1), class: cls,
        "text-anchor": "middle", "dominant-baseline": "central",
      }, parent);
      t.innerHTML = html;
    });
  }

  function draw(view, m, analysis, layers) {
    const L = view.extent;
    const scale = (SIZE / 2 - PAD) / L;
    const P = (x, y) => [SIZE / 2 + x * scale, SIZE / 2 - y * scale];
    const Av = (x, y) => [m[0][0] * x + m[0][1] * y, m[1][0] * x + m[1][1] * y];
    const PA = (x, y) => P(...Av(x, y));
    const O = P(0, 0);
    const g = view.layer;
    g.textContent = "";

    // The plane before the map: faint grid, axes, dashed unit circle.
    const n0 = Math.floor(L);
    for (let k = -n0; k <= n0; k++) {
      if (k === 0) continue;
      line(g, P(k, -L), P(k, L), "mfml-mx-grid0");
      line(g, P(-L, k), P(L, k), "mfml-mx-grid0");
    }
    line(g, P(-L, 0), P(L, 0), "mfml-mx-axis");
    line(g, P(0, -L), P(0, L), "mfml-mx-axis");
    ticks(g, L, P);
    I.svg("circle", { cx: O[0], cy: O[1], r: scale, class: "mfml-mx-circle0" }, g);

    // The plane after the map: image grid and image of the unit square.
    if (layers.grid) {
      const s2 = analysis.svd.values[1];
      const n = Math.min(12, Math.ceil(L / Math.max(s2, 1e-9)) + 1);
      for (let k = -n; k <= n; k++) {
        line(g, PA(k, -n), PA(k, n), "mfml-mx-grid");
        line(g, PA(-n, k), PA(n, k), "mfml-mx-grid");
      }
      const square = [[0, 0], [1, 0], [1, 1], [0, 1]].map(([x, y]) => PA(x, y));
      I.svg("polygon", {
        points: square.map((p) => p.join(",")).join(" "),
        class: "mfml-mx-square " + (analysis.det < 0 ? "mfml-neg" : "mfml-pos"),
      }, g);
    }

    // The image of the unit circle: an ellipse (a segment or a point when
    // A is singular), drawn as the polygon of 120 mapped points.
    const ring = [];
    for (let i = 0; i <= 120; i++) {
      const t = (2 * Math.PI * i) / 120;
      ring.push(PA(Math.cos(t), Math.sin(t)).map((z) => z.toFixed(2)).join(","));
    }
    I.svg("polyline", { points: ring.join(" "), class: "mfml-mx-ellipse" }, g);

    const notes = [];
    const labels = []; // placed last, by placeLabels
    const label = (tip, html, cls) => labels.push({ tip, origin: O, html, cls });
    if (layers.eigen) drawEigen(g, analysis.eig, L, P, O, notes, label);
    if (layers.singular) drawSingular(g, analysis.svd, P, O, label);

    const e1 = PA(1, 0);
    const e2 = PA(0, 1);
    arrow(g, O, e1, "mfml-mx-e1", 3);
    arrow(g, O, e2, "mfml-mx-e2", 3);
    // The columns' labels go first: they matter most.
    labels.unshift(
      { tip: e1, origin: O, html: "A<tspan font-weight=\"bold\">e</tspan>₁",
        cls: "mfml-label-e1" },
      { tip: e2, origin: O, html: "A<tspan font-weight=\"bold\">e</tspan>₂",
        cls: "mfml-label-e2" });
    // Labels keep off the handles and the notes (top left, 300 px wide).
    const handleBoxes = [e1, e2].map((p) => [p[0], p[1], 9, 9]);
    const noteBoxes = notes.map((_, i) => [150, 22 + 20 * i, 150, 10]);
    placeLabels(g, labels, handleBoxes.concat(noteBoxes));
    notes.forEach((text, i) => {
      I.svg("text", { x: 10, y: 22 + 20 * i, class: "mfml-note", text: text }, g);
    });
    [e1, e2].forEach((tip, j) => view.handles[j].forEach((h) => {
      h.setAttribute("cx", tip[0]);
      h.setAttribute("cy", tip[1]);
    }));
    view.scale = scale;
  }

  function line(parent, p, q, cls) {
    return I.svg("line", { x1: p[0], y1: p[1], x2: q[0], y2: q[1], class: cls }, parent);
  }

  function ticks(parent, L, P) {
    const step = L <= 4 ? 1 : L <= 10 ? 2 : 5;
    for (let k = step; k < L; k += step) {
      const [x, y] = P(k, 0);
      I.svg("text", { x: x, y: y + 14, class: "mfml-note", "text-anchor": "middle",
        "dominant-baseline": "central", text: String(k) }, parent);
      const [x2, y2] = P(0, k);
      I.svg("text", { x: x2 - 12, y: y2, class: "mfml-note", "text-anchor": "middle",
        "dominant-baseline": "central", text: String(k) }, parent);
    }
  }

  // Real eigenvalues: each eigenvector spans a line that A maps to itself;
  // the arrow is the image λx of the unit eigenvector x on that line.
  function drawEigen(g, eig, L, P, O, notes, label) {
    if (eig.kind === "complex") {
      notes.push("Complex eigenvalues: no real eigenvector line");
      return;
    }
    if (eig.kind === "scalar") {
      notes.push("A = λI: every direction is an eigenvector");
      return;
    }
    if (eig.kind === "defective") {
      notes.push("Repeated eigenvalue, one eigenvector line (defective)");
    }
    eig.vectors.forEach((x, i) => {
      const lambda = eig.values[i];
      line(g, P(-3 * L * x[0], -3 * L * x[1]), P(3 * L * x[0], 3 * L * x[1]),
        "mfml-mx-eigline");
      const tip = P(lambda * x[0], lambda * x[1]);
      arrow(g, O, tip, "mfml-mx-eig", 2.4);
      const sub = eig.kind === "defective" ? "" : i === 0 ? "₁" : "₂";
      // Label the line where it leaves the view if the arrow is too short.
      const where = Math.abs(lambda) > 0.35 ? tip : P(0.6 * L * x[0], 0.6 * L * x[1]);
      label(where, "λ" + sub, "mfml-label-eig");
    });
  }

  // The right singular vectors v on the unit circle (dashed) and their
  // images σu, the semi-axes of the ellipse.
  function drawSingular(g, sv, P, O, label) {
    for (let i = 0; i < 2; i++) {
      const [v, u, s] = [sv.v[i], sv.u[i], sv.values[i]];
      const sub = i === 0 ? "₁" : "₂";
      const vTip = P(v[0], v[1]);
      arrow(g, O, vTip, "mfml-mx-v mfml-thin", 1.8);
      label(vTip, "<tspan font-weight=\"bold\">v</tspan>" + sub, "mfml-label-sv");
      const uTip = P(s * u[0], s * u[1]);
      arrow(g, O, uTip, "mfml-mx-sv", 2.4);
      if (Math.hypot(uTip[0] - O[0], uTip[1] - O[1]) >= 2) {
        label(uTip, "σ" + sub + "<tspan font-weight=\"bold\">u</tspan>" + sub,
          "mfml-label-sv");
      }
    }
  }

  // ---- The widget --------------------------------------------------------

  I.register("matrix-explorer", function (root, config) {
    const initial = (config.matrix || [[1.5, 1], [0.5, 1]]).map((row) => row.slice());
    const m = initial.map((row) => row.slice());
    const layers = { grid: true, eigen: true, singular: true };
    const box = I.element("div", { class: "mfml-mx" }, root);

    // The plot, with a handle at the tip of each column of A.
    const plotBox = I.element("div", { class: "mfml-mx-plot" }, box);
    const svgEl = I.svg("svg", {
      class: "mfml-plot", viewBox: `0 0 ${SIZE} ${SIZE}`, role: "img",
      "aria-label": root.dataset.description || "A 2 by 2 matrix acting on the plane",
    }, plotBox);
    const view = {
      layer: I.svg("g", {}, svgEl), extent: 3, handles: [[], []], scale: 1,
    };
    // The handles live outside the redrawn layer, so a drag survives redraws.
    const handleLayer = I.svg("g", {}, svgEl);
    ["mfml-e1", "mfml-e2"].forEach((cls, j) => {
      const dot = { r: 7, class: "mfml-mx-handle " + cls };
      view.handles[j].push(I.svg("circle", dot, handleLayer));
      view.handles[j].push(I.svg("circle", { r: 20, class: "mfml-mx-hit" }, handleLayer));
    });

    // The controls: the matrix as a bracketed grid of entries.
    const controls = I.element("div", { class: "mfml-mx-controls" }, box);
    const matrixTitle = I.element("h3", { class: "mfml-heading", id: I.uid("title") },
      controls);
    matrixTitle.innerHTML = "The matrix <i>A</i>";
    const brackets = I.element("div", {
      class: "mfml-mx-brackets", role: "group", "aria-labelledby": matrixTitle.id,
    }, controls);
    const entries = [[null, null], [null, null]];
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        entries[i][j] = I.numberControl(brackets, {
          class: "mfml-mx-entry mfml-col" + (j + 1),
          labelHTML: `<i>a</i><sub>${i + 1}${j + 1}</sub>`,
          min: ENTRY_MIN, max: ENTRY_MAX, step: 0.01,
          sliderMin: SLIDER_MIN, sliderMax: SLIDER_MAX, sliderStep: 0.05,
          value: m[i][j],
          onChange: (value, final) => { m[i][j] = value; update(final); },
        });
      }
    }
    const hint = I.element("p", { class: "mfml-mx-hint" }, controls);
    hint.innerHTML =
      "Column 1 is <span class=\"mfml-mx-col1\"><i>A</i><b>e</b>₁</span>, where " +
      "<b>e</b>₁ lands; column 2 is " +
      "<span class=\"mfml-mx-col2\"><i>A</i><b>e</b>₂</span>. Drag their tips in " +
      "the plot, or set the entries (arrow keys step them).";

    const presets = I.element("div", {
      class: "mfml-mx-presets", role: "group", "aria-label": "Example matrices",
    }, controls);
    const presetList = PRESETS.concat([["Reset", initial]]);
    presetList.forEach(([name, matrix]) => {
      const button = I.element("button", { type: "button", text: name }, presets);
      button.addEventListener("click", () => setMatrix(matrix, true));
    });

    const fieldset = I.element("fieldset", { class: "mfml-mx-layers" }, controls);
    I.element("legend", { text: "Show" }, fieldset);
    [["grid", "grid and unit square"], ["eigen", "eigenvectors"],
      ["singular", "singular vectors"]].forEach(([key, text]) => {
      const id = I.uid("layer");
      const wrap = I.element("div", {}, fieldset);
      const input = I.element("input", { type: "checkbox", id: id }, wrap);
      input.checked = layers[key];
      I.element("label", { for: id, text: text }, wrap);
      input.addEventListener("change", () => { layers[key] = input.checked; update(false); });
    });

    // The numbers. Each printed number is a span with data-q="<name>",
    // which the tests read.
    const readout = I.element("div", { class: "mfml-mx-readout" }, box);
    const q = {};
    function block(cls, title) {
      const section = I.element("div", { class: "mfml-mx-block " + cls }, readout);
      I.element("h3", { class: "mfml-heading", text: title }, section);
      return I.element("dl", {}, section);
    }
    // A term and its numbers, one per line, each after a short prefix;
    // returns the row, to hide when it does not apply (the eigenvectors of
    // a complex pair, say).
    function row(dl, termHTML, parts) {
      const wrap = I.element("div", { class: "mfml-mx-row" }, dl);
      I.element("dt", {}, wrap).innerHTML = termHTML;
      const dd = I.element("dd", {}, wrap);
      parts.forEach(([prefixHTML, key, suffix]) => {
        const line = I.element("span", { class: "mfml-mx-line" }, dd);
        if (prefixHTML) {
          I.element("span", { class: "mfml-mx-prefix" }, line).innerHTML = prefixHTML;
        }
        q[key] = I.element("span", { class: "mfml-num", "data-q": key }, line);
        if (suffix) line.appendChild(document.createTextNode(suffix));
      });
      return wrap;
    }
    const detList = block("mfml-mx-block-det", "Area and trace");
    row(detList, "det <i>A</i>", [["", "det"]]);
    row(detList, "tr <i>A</i>", [["", "trace"]]);
    row(detList, "rank", [["", "rank"]]);
    const detNote = I.element("p", {}, detList.parentNode);

    const eigList = block("mfml-mx-block-eig", "Eigenvalues");
    const along = "along ";
    const eigRows = {
      one: row(eigList, "λ<sub>1</sub>", [["", "lambda1"], [along, "eigvec1"]]),
      two: row(eigList, "λ<sub>2</sub>", [["", "lambda2"], [along, "eigvec2"]]),
      complex: row(eigList, "λ", [["", "lambda-re", " ± "]]),
    };
    // The imaginary part, on the same line as the real part.
    const imLine = q["lambda-re"].parentNode;
    q["lambda-im"] = I.element("span", { class: "mfml-num", "data-q": "lambda-im" }, imLine);
    imLine.appendChild(document.createTextNode("i"));
    const eigNote = I.element("p", {}, eigList.parentNode);

    const svdList = block("mfml-mx-block-svd", "Singular values");
    for (const i of [1, 2]) {
      row(svdList, `σ<sub>${i}</sub>`, [
        ["", "sigma" + i],
        [`<b>v</b><sub>${i}</sub> `, "v" + i],
        [`<b>u</b><sub>${i}</sub> `, "u" + i],
      ]);
    }
    row(svdList, "κ", [["", "cond"]]);
    const svdNote = I.element("p", {}, svdList.parentNode);

    // A polite summary for screen readers, updated when a change is final.
    const live = I.element("p", { class: "mfml-sr-only", "aria-live": "polite" }, root);

    const vec = (v) => "(" + fmt(v[0]) + ", " + fmt(v[1]) + ")";

    function show(analysis) {
      const { det, trace, eig, svd: sv } = analysis;
      q.det.textContent = fmt(det);
      q.trace.textContent = fmt(trace);
      q.rank.textContent = String(analysis.rank);
      detNote.textContent = "The unit square (shaded) maps to a parallelogram of area " +
        "|det A| = " + fmt(Math.abs(det)) + (det < 0 ? "; det A < 0: A reverses orientation."
          : det === 0 ? "; det A = 0: A flattens the plane." : "; A keeps orientation.");

      const real = eig.kind !== "complex";
      eigRows.one.hidden = !real;
      eigRows.two.hidden = !real;
      eigRows.complex.hidden = real;
      eigList.dataset.kind = eig.kind;
      if (real) {
        q.lambda1.textContent = fmt(eig.values[0]);
        q.lambda2.textContent = fmt(eig.values[1]);
        q.eigvec1.textContent = vec(eig.vectors[0]);
        // A defective matrix has one eigenvector line, printed once.
        q.eigvec2.textContent = eig.vectors[1] ? vec(eig.vectors[1]) : "the same line";
      } else {
        q["lambda-re"].textContent = fmt(eig.re);
        q["lambda-im"].textContent = fmt(eig.im);
      }
      eigNote.textContent = {
        distinct: "Two eigenvector lines, each mapped to itself; λ₁ > λ₂. " +
          "λ₁ + λ₂ = tr A, λ₁λ₂ = det A.",
        defective: "Defective: λ₁ = λ₂ but only one eigenvector line; " +
          "A is not diagonalisable.",
        scalar: "A = λI: every vector is an eigenvector, printed here as e₁ and e₂.",
        complex: "A complex pair, λ = a ± bi: A turns every direction, so no " +
          "real eigenvector exists. |λ|² = det A.",
      }[eig.kind];

      q.sigma1.textContent = fmt(sv.values[0]);
      q.sigma2.textContent = fmt(sv.values[1]);
      ["v1", "v2"].forEach((k, i) => { q[k].textContent = vec(sv.v[i]); });
      ["u1", "u2"].forEach((k, i) => { q[k].textContent = vec(sv.u[i]); });
      q.cond.textContent = fmt(analysis.cond, 2);
      svdNote.textContent = analysis.rank === 0
        ? "A = 0 maps everything to the origin."
        : sv.equal
          ? "σ₁ = σ₂: A is σ₁ times a rotation or reflection, so every unit " +
            "vector is a right singular vector; printed here: e₁ and e₂."
          : analysis.rank === 1
            ? "σ₂ = 0: A flattens the plane onto the line of u₁ and sends " +
              "v₂ to zero. κ = σ₁/σ₂ is infinite."
            : "A v₁ = σ₁u₁ and A v₂ = σ₂u₂ are the semi-axes of the ellipse; " +
              "σ₁σ₂ = |det A|; κ = σ₁/σ₂.";
    }

    function summary(analysis) {
      const { det, trace, eig, svd: sv } = analysis;
      const lambdas = eig.kind === "complex"
        ? "complex eigenvalues " + fmt(eig.re) + " plus or minus " + fmt(eig.im) + " i"
        : "eigenvalues " + fmt(eig.values[0]) + " and " + fmt(eig.values[1]);
      return "Determinant " + fmt(det) + ", trace " + fmt(trace) + ", " + lambdas +
        ", singular values " + fmt(sv.values[0]) + " and " + fmt(sv.values[1]) + ".";
    }

    let dragging = null; // the column being dragged, 0 or 1

    function update(final) {
      const analysis = analyse(m);
      // The zoom waits for the end of a drag, or the tip would run away
      // from the pointer.
      if (dragging === null) view.extent = extentFor(analysis);
      draw(view, m, analysis, layers);
      show(analysis);
      if (final) live.textContent = summary(analysis);
    }

    function setMatrix(matrix, final) {
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 2; j++) {
          m[i][j] = matrix[i][j];
          entries[i][j].set(matrix[i][j]);
        }
      }
      update(final);
    }

    // Dragging a tip sets a column of A. Pointer events cover mouse, pen and
    // touch; the pointer is captured by the SVG, which is never redrawn.
    function pointerToPlane(event) {
      const rect = svgEl.getBoundingClientRect();
      const px = ((event.clientX - rect.left) / rect.width) * SIZE;
      const py = ((event.clientY - rect.top) / rect.height) * SIZE;
      const snap = (z) => Math.round(z / DRAG_STEP) * DRAG_STEP;
      const clamp = (z) => Math.min(ENTRY_MAX, Math.max(ENTRY_MIN, z));
      return [clamp(snap((px - SIZE / 2) / view.scale)),
        clamp(snap((SIZE / 2 - py) / view.scale))];
    }
    view.handles.forEach((pair, j) => pair.forEach((h) => {
      h.addEventListener("pointerdown", (event) => {
        event.preventDefault();
        dragging = j;
        svgEl.setPointerCapture(event.pointerId);
        view.handles[j][0].classList.add("mfml-dragging");
      });
    }));
    svgEl.addEventListener("pointermove", (event) => {
      if (dragging === null) return;
      const [x, y] = pointerToPlane(event);
      const next = m.map((row) => row.slice());
      next[0][dragging] = Math.round(x * 100) / 100;
      next[1][dragging] = Math.round(y * 100) / 100;
      setMatrix(next, false);
    });
    const stop = () => {
      if (dragging === null) return;
      view.handles[dragging][0].classList.remove("mfml-dragging");
      dragging = null;
      update(true);
    };
    svgEl.addEventListener("pointerup", stop);
    svgEl.addEventListener("pointercancel", stop);

    update(false);
  });
})();
