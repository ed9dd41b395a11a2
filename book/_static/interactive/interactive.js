/* Shared helper for the book's interactive figures.
 *
 * book/_ext/interactive.py writes, for each figure, an element
 *   <div class="mfml-interactive" data-interactive="NAME"
 *        data-config="{...}" data-description="...">
 * and loads this file, then NAME.js, on that page only. NAME.js calls
 *   MathsForML.interactive.register("NAME", function (root, config) {...});
 * and this helper calls that function once per element when the page is
 * ready, with the parsed data-config as the widget's initial state.
 *
 * Plain scripts, not ES modules: browsers refuse modules read from
 * file://, and the site must work unzipped on a disk with no server.
 */
(function () {
  "use strict";

  const SVG_NS = "http://www.w3.org/2000/svg";
  const widgets = {};
  let counter = 0;

  function whenReady(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  function start(root) {
    const init = widgets[root.dataset.interactive];
    if (!init || root.dataset.started) return;
    root.dataset.started = "true";
    root.textContent = ""; // the "Loading" line
    try {
      init(root, JSON.parse(root.dataset.config || "{}"));
    } catch (error) {
      // Say so on the page; the console error makes the browser tests fail.
      const p = element("p", { class: "mfml-interactive-error" }, root);
      p.textContent = "This interactive figure could not start: " + error;
      console.error(error);
    }
  }

  /** Create an HTML element with attributes, appended to parent if given. */
  function element(tag, attributes, parent) {
    return finish(document.createElement(tag), attributes, parent);
  }

  /** The same for SVG elements, which need their namespace. */
  function svg(tag, attributes, parent) {
    return finish(document.createElementNS(SVG_NS, tag), attributes, parent);
  }

  function finish(node, attributes, parent) {
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === "text") node.textContent = value;
      else if (value !== null && value !== undefined) {
        node.setAttribute(key, value);
      }
    }
    if (parent) parent.appendChild(node);
    return node;
  }

  /** A page-unique id, for label/for pairs when a page has two widgets. */
  function uid(prefix) {
    counter += 1;
    return "mfml-" + prefix + "-" + counter;
  }

  /** A number with fixed decimals and a true minus sign; never "−0.000". */
  function format(x, digits) {
    if (!Number.isFinite(x)) return x > 0 ? "∞" : x < 0 ? "−∞" : "—";
    const text = x.toFixed(digits === undefined ? 3 : digits);
    if (Number(text) === 0) return text.replace("-", "");
    return text.replace("-", "−");
  }

  /**
   * A labelled number with a slider and a number field that stay in step.
   * The number field holds the exact value (typed values are kept as
   * typed, clamped to [min, max]); the slider, whose range may be
   * narrower (sliderMin, sliderMax), is the coarse, keyboard- and
   * pointer-friendly way to change it. onChange(value, final) runs on
   * every change; final is true when the user has let go (the "change"
   * event), which is when a screen-reader summary should be updated.
   */
  function numberControl(parent, options) {
    const box = element("div", { class: options.class || "mfml-control" },
      parent);
    const head = element("div", { class: "mfml-entry-head" }, box);
    const numberId = uid("number");
    const labelId = uid("label");
    const label = element("label", { for: numberId, id: labelId }, head);
    label.innerHTML = options.labelHTML;
    const number = element("input", {
      type: "number", id: numberId, min: options.min, max: options.max,
      step: options.step, inputmode: "decimal",
    }, head);
    const slider = element("input", {
      type: "range",
      min: options.sliderMin === undefined ? options.min : options.sliderMin,
      max: options.sliderMax === undefined ? options.max : options.sliderMax,
      step: options.sliderStep || options.step,
      "aria-labelledby": labelId,
    }, box);
    let value = options.value;

    function show(v) {
      number.value = String(Math.round(v * 1e6) / 1e6);
      slider.value = String(v);
      slider.setAttribute("aria-valuetext", format(v, 2));
    }
    function take(v, final) {
      if (!Number.isFinite(v)) return; // a half-typed number: wait
      value = Math.min(options.max, Math.max(options.min, v));
      if (document.activeElement !== number || final) show(value);
      else slider.value = String(value);
      options.onChange(value, final);
    }
    slider.addEventListener("input", () => take(slider.valueAsNumber, false));
    slider.addEventListener("change", () => take(slider.valueAsNumber, true));
    number.addEventListener("input", () => take(number.valueAsNumber, false));
    number.addEventListener("change", () => take(number.valueAsNumber, true));
    show(value);
    return {
      get value() { return value; },
      set(v) { value = v; show(v); },
      number: number,
      slider: slider,
    };
  }

  window.MathsForML = window.MathsForML || {};
  window.MathsForML.interactive = {
    register(name, init) {
      widgets[name] = init;
      whenReady(() => {
        const selector = '[data-interactive="' + name + '"]';
        document.querySelectorAll(selector).forEach(start);
      });
    },
    element: element,
    svg: svg,
    uid: uid,
    format: format,
    numberControl: numberControl,
  };
})();
