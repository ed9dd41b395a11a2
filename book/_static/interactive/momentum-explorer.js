/* The momentum explorer (Lesson 3, "Play with momentum").
 *
 * Heavy-ball momentum, v ← βv − α∇f(x), x ← x + v, on the quadratic
 * f(x) = ½(λ₁x₁² + λ₂x₂²) with λ₂ = 1 and λ₁ = 1/κ. The reader sets the
 * step size α, the momentum β and the condition number κ; the page draws
 * the first iterations in the plane, the error against the iteration on
 * a log scale, and prints the rate measured from the iterates next to the
 * theoretical one: the largest root modulus of t² − (1 + β − αλ)t + β
 * over both eigenvalues (eq. hb-characteristic), as
 * mathsforml.optimizers.heavy_ball_rate computes it.
 * tests/test_momentum_explorer.py compares the two.
 */
(function () {
  "use strict";

  const I = window.MathsForML.interactive;
  const fmt = I.format;

  const WIDTH = 320; // both plots share this viewBox width
  const PATH_HEIGHT = 200;
  const ERR_HEIGHT = 200;
  const PAD = 40; // room for the labels under the error plot
  const LEFT = 66; // ... and left of it (tick labels and the axis label)
  const SHOWN_STEPS = 150; // iterations drawn in the plane
  const ERR_STEPS = 200; // iterations on the error plot
  const ERR_MIN = -12; // log10 range of the error plot
  const ERR_MAX = 4;
  const MAX_STEPS = 4000; // the measured rate uses up to this many
  const TINY = 1e-250; // stop before underflow ...
  const HUGE = 1e250; // ... or overflow
  const START = [-1, 0.7]; // in units of each axis's scale, 1/sqrt(λᵢ)
  const DEFAULTS = { learning_rate: 1, momentum: 0.7, condition_number: 100 };
  // |rate − 1| below which a root counts as on the unit circle: the
  // iteration is bounded but does not converge (mathsforml.plotting's
  // EDGE_TOL).
  const EDGE_TOL = 1e-12;

  // ---- The mathematics -------------------------------------------------

  /** The largest root modulus of t² − b t + β, b = 1 + β − αλ. */
  function rootModulus(alpha, beta, lambda) {
    const b = 1 + beta - alpha * lambda;
    const disc = b * b - 4 * beta;
    if (disc < 0) return Math.sqrt(beta); // complex pair: |t|² = β
    return (Math.abs(b) + Math.sqrt(disc)) / 2;
  }

  function theory(alpha, beta, kappa) {
    const lambdas = [1 / kappa, 1];
    return Math.max(...lambdas.map((l) => rootModulus(alpha, beta, l)));
  }

  /** The best α, β for eigenvalues in [1/κ, 1] (eq. hb-optimal). */
  function optimal(kappa) {
    const root = Math.sqrt(kappa);
    const alpha = Math.pow(2 / (Math.sqrt(1 / kappa) + 1), 2);
    const beta = Math.pow((root - 1) / (root + 1), 2);
    return { alpha: alpha, beta: beta, rate: (root - 1) / (root + 1) };
  }

  /**
   * Run momentum from START (velocity 0). Returns the iterates (for the
   * plane), the relative errors ‖xₖ‖/‖x₀‖ and the measured rate: the
   * geometric mean growth of the state norm √(‖xₖ‖² + ‖xₖ₋₁‖²) over the
   * second half of the run, where the factor k of a double root is spent.
   */
  function simulate(alpha, beta, kappa) {
    const lambdas = [1 / kappa, 1];
    const scales = lambdas.map((l) => 1 / Math.sqrt(l));
    let x = START.map((u, i) => u * scales[i]);
    let prev = x.slice();
    const norm0 = Math.hypot(x[0], x[1]);
    const points = [START.slice()];
    const errors = [1];
    const state = [Math.hypot(x[0], x[1], prev[0], prev[1])];
    let k = 0;
    while (k < MAX_STEPS) {
      const next = x.map((xi, i) =>
        xi - alpha * lambdas[i] * xi + beta * (xi - prev[i]));
      prev = x;
      x = next;
      k += 1;
      const size = Math.hypot(x[0], x[1], prev[0], prev[1]);
      state.push(size);
      if (k <= SHOWN_STEPS) points.push(x.map((xi, i) => xi / scales[i]));
      if (k <= ERR_STEPS) errors.push(Math.hypot(x[0], x[1]) / norm0);
      if (!(size > TINY && size < HUGE)) break; // also stops at NaN
    }
    const half = Math.floor(k / 2);
    let measured = Math.pow(state[k] / state[half], 1 / (k - half));
    if (state[k] === 0) measured = 0; // exact convergence (αλ = 1, β = 0)
    return { points: points, errors: errors, measured: measured, steps: k };
  }

  /** Whether a rate converges, diverges or sits on the edge. */
  function verdict(rate) {
    if (rate < 1 - EDGE_TOL) return "converges";
    if (rate > 1 + EDGE_TOL) return "diverges";
    return "is on the edge: it neither converges nor diverges";
  }

  /** A rate with 4 decimals, or as 1 − δ when 4 decimals would print 1. */
  function formatRate(rate) {
    if (rate > 0.9999 && rate < 1) {
      return "1 − " + (1 - rate).toExponential(1).replace("e-", "e−");
    }
    return fmt(rate, 4);
  }

  // ---- Drawing ---------------------------------------------------------

  function frame(svgEl, height, cls) {
    I.svg("rect", { x: 0, y: 0, width: WIDTH, height: height,
      class: "mfml-mo-bg" }, svgEl);
    const g = I.svg("g", { class: cls }, svgEl);
    return g;
  }

  function drawPlane(g, points) {
    g.textContent = "";
    const h = PATH_HEIGHT;
    const X = (u) => WIDTH / 2 + u * (WIDTH / 2 - 12) / 1.35;
    const Y = (u) => h / 2 - u * (h / 2 - 12) / 1.35;
    // Level sets of f are circles in these units: ellipses on the screen.
    [0.25, 0.5, 0.75, 1, 1.25].forEach((r) => {
      I.svg("ellipse", { cx: X(0), cy: Y(0), rx: X(r) - X(0),
        ry: Y(0) - Y(r), class: "mfml-mo-level" }, g);
    });
    I.svg("line", { x1: X(-1.35), y1: Y(0), x2: X(1.35), y2: Y(0),
      class: "mfml-mo-axis" }, g);
    I.svg("line", { x1: X(0), y1: Y(-1.35), x2: X(0), y2: Y(1.35),
      class: "mfml-mo-axis" }, g);
    const d = points
      .map((p) => [X(clampUnit(p[0])), Y(clampUnit(p[1]))])
      .map((p, i) => (i ? "L" : "M") + p[0].toFixed(1) + " " + p[1].toFixed(1))
      .join(" ");
    I.svg("path", { d: d, class: "mfml-mo-path" }, g);
    points.slice(0, 40).forEach((p) => {
      if (Math.abs(p[0]) > 1.35 || Math.abs(p[1]) > 1.35) return;
      I.svg("circle", { cx: X(p[0]), cy: Y(p[1]), r: 2.2,
        class: "mfml-mo-dot" }, g);
    });
    I.svg("circle", { cx: X(START[0]), cy: Y(START[1]), r: 4.5,
      class: "mfml-mo-start" }, g);
    I.svg("path", { d: star(X(0), Y(0), 7), class: "mfml-mo-min" }, g);
    I.svg("text", { x: WIDTH - 6, y: Y(0) - 6, "text-anchor": "end",
      class: "mfml-note", text: "flat: λ₁ = 1/κ" }, g);
    I.svg("text", { x: X(0) + 6, y: 14, class: "mfml-note",
      text: "steep: λ₂ = 1" }, g);
  }

  function clampUnit(u) {
    return Math.max(-1.6, Math.min(1.6, u));
  }

  function star(cx, cy, r) {
    let d = "";
    for (let i = 0; i < 10; i++) {
      const a = -Math.PI / 2 + (i * Math.PI) / 5;
      const s = i % 2 ? r * 0.45 : r;
      d += (i ? "L" : "M") + (cx + s * Math.cos(a)).toFixed(1) + " " +
        (cy + s * Math.sin(a)).toFixed(1) + " ";
    }
    return d + "Z";
  }

  function drawErrors(g, errors, rate, clipId) {
    g.textContent = "";
    const h = ERR_HEIGHT;
    const X = (k) => LEFT + (k / ERR_STEPS) * (WIDTH - LEFT - 18);
    const Y = (log) => 10 + ((ERR_MAX - log) / (ERR_MAX - ERR_MIN)) *
      (h - PAD - 10);
    for (let e = ERR_MIN; e <= ERR_MAX; e += 4) {
      I.svg("line", { x1: X(0), y1: Y(e), x2: X(ERR_STEPS), y2: Y(e),
        class: "mfml-mo-grid" }, g);
      I.svg("text", { x: X(0) - 4, y: Y(e), "text-anchor": "end",
        "dominant-baseline": "central", class: "mfml-note",
        text: e === 0 ? "1" : "1e" + e }, g);
    }
    for (let k = 0; k <= ERR_STEPS; k += 50) {
      I.svg("text", { x: X(k), y: h - PAD + 16, "text-anchor": "middle",
        class: "mfml-note", text: String(k) }, g);
    }
    I.svg("text", { x: (X(0) + X(ERR_STEPS)) / 2, y: h - 4,
      "text-anchor": "middle", class: "mfml-note",
      text: "iteration k" }, g);
    const yMid = (10 + h - PAD) / 2;
    I.svg("text", { x: 8, y: yMid, "text-anchor": "middle",
      "dominant-baseline": "central", class: "mfml-note",
      transform: `rotate(-90 8 ${yMid})`, text: "‖xₖ‖ / ‖x₀‖" }, g);
    const clampLog = (v) => Math.max(ERR_MIN - 1, Math.min(ERR_MAX + 1, v));
    // The curves, clipped to the plotting area.
    const area = I.svg("g", { "clip-path": `url(#${clipId})` }, g);
    const d = errors.map((e, k) => {
      const log = e > 0 ? clampLog(Math.log10(e)) : ERR_MIN - 1;
      return (k ? "L" : "M") + X(k).toFixed(1) + " " + Y(log).toFixed(1);
    }).join(" ");
    I.svg("path", { d: d, class: "mfml-mo-error" }, area);
    // The theory on top, so that its dashes show where the two agree; it
    // stops where it leaves the plot, which keeps its slope.
    if (rate > 0 && rate !== 1) {
      const slope = Math.log10(rate);
      const bound = slope < 0 ? ERR_MIN - 1 : ERR_MAX + 1;
      const kEnd = Math.min(ERR_STEPS, bound / slope);
      I.svg("line", { x1: X(0), y1: Y(0), x2: X(kEnd), y2: Y(slope * kEnd),
        class: "mfml-mo-theory" }, area);
    } else if (rate === 1) {
      I.svg("line", { x1: X(0), y1: Y(0), x2: X(ERR_STEPS), y2: Y(0),
        class: "mfml-mo-theory" }, area);
    }
  }

  // ---- The widget --------------------------------------------------------

  I.register("momentum-explorer", function (root, config) {
    const initial = Object.assign({}, DEFAULTS, config);
    const s = {
      alpha: initial.learning_rate,
      beta: initial.momentum,
      kappa: initial.condition_number,
    };
    const box = I.element("div", { class: "mfml-mo" }, root);
    const clipId = I.uid("clip");

    const plots = I.element("div", { class: "mfml-mo-plots" }, box);
    const planeSvg = I.svg("svg", {
      class: "mfml-plot", viewBox: `0 0 ${WIDTH} ${PATH_HEIGHT}`,
      role: "img",
      "aria-label": "The first iterations of momentum on the level sets " +
        "of the quadratic, drawn with each axis scaled to its own length",
    }, plots);
    const clip = I.svg("clipPath", { id: clipId }, I.svg("defs", {}, planeSvg));
    I.svg("rect", { x: 0, y: 0, width: WIDTH, height: PATH_HEIGHT }, clip);
    const plane = frame(planeSvg, PATH_HEIGHT, "mfml-mo-plane");
    plane.setAttribute("clip-path", `url(#${clipId})`);
    const errSvg = I.svg("svg", {
      class: "mfml-plot", viewBox: `0 0 ${WIDTH} ${ERR_HEIGHT}`,
      role: "img",
      "aria-label": "The error against the iteration on a log scale, with " +
        "the theoretical rate as a dashed line",
    }, plots);
    const errPlot = frame(errSvg, ERR_HEIGHT, "mfml-mo-errplot");
    // The error plot's data area, inside its axes.
    const errClipId = I.uid("clip");
    const errClip = I.svg("clipPath", { id: errClipId },
      I.svg("defs", {}, errSvg));
    I.svg("rect", { x: LEFT, y: 10, width: WIDTH - LEFT - 18,
      height: ERR_HEIGHT - PAD - 10 }, errClip);

    const controls = I.element("div", { class: "mfml-mo-controls" }, box);
    const title = I.element("h3", { class: "mfml-heading", id: I.uid("title"),
      text: "Settings" }, controls);
    const group = I.element("div", { role: "group",
      "aria-labelledby": title.id }, controls);
    const fields = {
      alpha: I.numberControl(group, {
        labelHTML: "step size <i>α</i>", min: 0.01, max: 4.5, step: 0.01,
        value: s.alpha, onChange: (v, final) => { s.alpha = v; update(final); },
      }),
      beta: I.numberControl(group, {
        labelHTML: "momentum <i>β</i>", min: 0, max: 0.99, step: 0.01,
        value: s.beta, onChange: (v, final) => { s.beta = v; update(final); },
      }),
      kappa: I.numberControl(group, {
        labelHTML: "condition number <i>κ</i>", min: 1, max: 1000, step: 1,
        sliderMax: 300, value: s.kappa,
        onChange: (v, final) => { s.kappa = v; update(final); },
      }),
    };
    const presets = I.element("div", { class: "mfml-mo-presets", role: "group",
      "aria-label": "Settings to try" }, controls);
    const buttons = [
      ["Best α and β", () => {
        const best = optimal(s.kappa);
        return { alpha: best.alpha, beta: best.beta };
      }],
      ["Gradient descent, best α", () => ({ alpha: 2 / (1 + 1 / s.kappa), beta: 0 })],
      ["Reset", () => ({ alpha: initial.learning_rate, beta: initial.momentum,
        kappa: initial.condition_number })],
    ];
    buttons.forEach(([name, settings]) => {
      const button = I.element("button", { type: "button", text: name }, presets);
      button.addEventListener("click", () => {
        const next = settings();
        // Exact values: at the best α and β the rate sits at a double
        // root, where rounding α to 4 decimals would move it by 1e-2.
        Object.entries(next).forEach(([key, value]) => {
          s[key] = value;
          fields[key].set(value);
        });
        update(true);
      });
    });

    // The numbers, in sentences. Each printed number is a span with
    // data-q="<name>", which the tests read.
    const readout = I.element("div", { class: "mfml-mo-readout" }, box);
    const q = {};
    function sentence(parts) {
      const p = I.element("p", {}, readout);
      parts.forEach((part) => {
        if (part.startsWith("#")) {
          const key = part.slice(1);
          q[key] = I.element("span", { class: "mfml-num", "data-q": key }, p);
        } else {
          p.insertAdjacentHTML("beforeend", part);
        }
      });
    }
    sentence(["Rate: ", "#rate-theory", " in theory (the largest root " +
      "modulus of <i>t</i>² − (1 + <i>β</i> − <i>αλ</i>)<i>t</i> + " +
      "<i>β</i> for <i>λ</i> = 1/<i>κ</i> and 1), ", "#rate-measured",
      " measured over ", "#steps", " iterations."]);
    sentence(["This setting ", "#status", " (<i>αλ</i>₂ = ",
      "#alpha-lambda", "; the stable range is <i>αλ</i> &lt; 2 + 2" +
      "<i>β</i> = ", "#edge", ")."]);
    sentence(["Best for this <i>κ</i>: <i>α</i> = ", "#best-alpha",
      ", <i>β</i> = ", "#best-beta", ", rate ", "#best-rate",
      "; gradient descent at its best: ", "#gd-rate", "."]);
    const live = I.element("p", { class: "mfml-sr-only", "aria-live": "polite" },
      root);

    function update(final) {
      const rate = theory(s.alpha, s.beta, s.kappa);
      const run = simulate(s.alpha, s.beta, s.kappa);
      drawPlane(plane, run.points);
      drawErrors(errPlot, run.errors, rate, errClipId);
      const status = verdict(rate);
      const best = optimal(s.kappa);
      const text = {
        "rate-theory": formatRate(rate),
        "rate-measured": formatRate(run.measured),
        steps: String(run.steps),
        status: status,
        "alpha-lambda": fmt(s.alpha, 2),
        edge: fmt(2 + 2 * s.beta, 2),
        "best-alpha": fmt(best.alpha, 3),
        "best-beta": fmt(best.beta, 3),
        "best-rate": fmt(best.rate, 4),
        "gd-rate": fmt((s.kappa - 1) / (s.kappa + 1), 4),
      };
      Object.entries(text).forEach(([key, value]) => {
        q[key].textContent = value;
      });
      q.status.className = "mfml-num " +
        (status === "converges" ? "mfml-mo-good" : "mfml-mo-bad");
      if (final) {
        live.textContent = "Step size " + fmt(s.alpha, 2) + ", momentum " +
          fmt(s.beta, 2) + ", condition number " + fmt(s.kappa, 0) +
          ": the iteration " + text.status + ", rate " + text["rate-theory"] +
          " in theory, " + text["rate-measured"] + " measured.";
      }
    }

    update(false);
  });
})();
