// bonemets-edu front-end support, loaded once per page by bonemets_edu.frontend.CourseSupport (an anywidget).
// It only adds attributes and one stylesheet to what ipywidgets draws, so it works the same in JupyterLab,
// Jupyter Notebook 7 and Voila:
//  * keyboard: widget controls carry data-lm-suppress-shortcuts, so the notebook's command-mode shortcuts (arrow keys
//    move the cell selection) do not steal the keys from a focused radio group, dropdown or slider;
//  * names: slider handles get the slider's description as aria-label and the readout as aria-valuetext; radio
//    groups and toggle-button groups become labelled groups; a quiz question (.bm-question) names its options' group
//    by its stem (.bm-stem);
//  * headings: widget titles (<h4>) take the heading level that follows the lesson's previous heading;
//  * stable height: a widget's output area never shrinks while its width stays the same, so the text below does not
//    jump when a control changes what the widget shows.
const STYLE_ID = "bm-course-style";
let uid = 0;
const CONTROLS = [".jupyter-widgets", "input", "select", "textarea", "button", ".noUi-handle", "[contenteditable]",
  "[tabindex]"].map((c, i) => (i ? `.jupyter-widgets ${c}` : c) + ":not([data-lm-suppress-shortcuts])").join(", ");

function ensureId(el, prefix) {
  if (!el.id) el.id = `${prefix}-${++uid}`;
  return el.id;
}

function text(el) {
  return (el && el.textContent ? el.textContent : "").replace(/\s+/g, " ").trim();
}

function labelOf(widgetEl) {
  // ipywidgets puts the description in a direct child <label class="widget-label">
  for (const child of widgetEl.children) {
    if (child.classList.contains("widget-label") && child.style.display !== "none" && text(child)) return child;
  }
  return null;
}

function enhance(root) {
  // Lumino tests the focused element itself against the notebook's shortcut selectors (".jp-Notebook :focus"), so
  // the attribute has to sit on each focusable control, not only on the widget around it.
  for (const el of root.querySelectorAll(CONTROLS)) {
    el.setAttribute("data-lm-suppress-shortcuts", "true");
  }
  for (const slider of root.querySelectorAll(".widget-slider")) {
    const label = labelOf(slider);
    const readout = slider.querySelector(".widget-readout");
    const name = label ? text(label) : "value";
    for (const handle of slider.querySelectorAll(".noUi-handle")) {
      if (handle.getAttribute("aria-label") !== name) handle.setAttribute("aria-label", name);
      const shown = readout ? text(readout) : "";
      if (shown && handle.getAttribute("aria-valuetext") !== shown) handle.setAttribute("aria-valuetext", shown);
    }
    if (readout && readout.isContentEditable && !readout.getAttribute("aria-label")) {
      readout.setAttribute("aria-label", `${name}: type a value`);
      readout.setAttribute("role", "textbox");
    }
  }
  for (const box of root.querySelectorAll(".widget-radio-box, .widget-toggle-buttons .widget-toggle-buttons, "
                                           + ".widget-toggle-buttons > div")) {
    const isRadio = box.classList.contains("widget-radio-box");
    const owner = box.closest(".widget-radio, .widget-toggle-buttons") || box.parentElement;
    const want = isRadio ? "radiogroup" : "group";
    if (box.getAttribute("role") !== want) box.setAttribute("role", want);
    const question = box.closest(".bm-question");
    const stem = question ? question.querySelector(".bm-stem") : null;
    const label = stem || (owner ? labelOf(owner) : null);
    if (label && !box.getAttribute("aria-labelledby")) {
      box.setAttribute("aria-labelledby", ensureId(label, "bm-label"));
    }
  }
  for (const q of root.querySelectorAll(".bm-question")) {
    const stem = q.querySelector(".bm-stem");
    if (stem && q.getAttribute("role") !== "group") {
      q.setAttribute("role", "group");
      q.setAttribute("aria-labelledby", ensureId(stem, "bm-stem"));
    }
  }
  fixHeadings();
}

function fixHeadings() {
  // Document order of the lesson's headings; a widget title sits one level below the heading before it.
  const all = document.querySelectorAll(
    ".jp-RenderedHTMLCommon h1, .jp-RenderedHTMLCommon h2, .jp-RenderedHTMLCommon h3, .jp-RenderedHTMLCommon h4, "
    + ".jp-RenderedHTMLCommon h5, .jp-RenderedHTMLCommon h6, .jupyter-widgets h4");
  let previous = 1;
  for (const h of all) {
    const inWidget = !!h.closest(".jupyter-widgets");
    if (!inWidget) {
      previous = Number(h.getAttribute("aria-level") || h.tagName.slice(1));
      continue;
    }
    const level = Math.min(previous + 1, 4);
    if (Number(h.getAttribute("aria-level") || 4) !== level) h.setAttribute("aria-level", String(level));
    previous = level;
  }
}

const seen = new WeakMap();
const resizer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver((entries) => {
  for (const entry of entries) {
    const el = entry.target;
    const width = Math.round(el.getBoundingClientRect().width);
    const height = el.getBoundingClientRect().height;
    const last = seen.get(el);
    if (!last || last.width !== width) {
      seen.set(el, { width, height });  // new width (window resize, zoom): start again from the current height
      el.style.minHeight = "";
    } else if (height > last.height) {
      last.height = height;
      el.style.minHeight = `${Math.ceil(height)}px`;
    }
  }
});

function watchHeights(root) {
  if (!resizer) return;
  for (const el of root.querySelectorAll(".jp-OutputArea-output > .jupyter-widgets.widget-vbox, "
                                         + ".jp-OutputArea-output > .jupyter-widgets.widget-box")) {
    if (!seen.has(el) && !el.dataset.bmWatched) {
      el.dataset.bmWatched = "1";
      resizer.observe(el);
    }
  }
}

// ipywidgets' radio inputs carry no shared name, so the browser's own arrow-key navigation between them does not
// apply: move to the next/previous option and pick it (as a click does), keeping the focus in the group.
function onKeydown(event) {
  const t = event.target;
  if (!(t instanceof HTMLInputElement) || t.type !== "radio") return;
  const box = t.closest(".widget-radio-box");
  if (!box || event.altKey || event.ctrlKey || event.metaKey) return;
  const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
  if (!step) return;
  const radios = Array.from(box.querySelectorAll("input[type=radio]:not(:disabled)"));
  const next = radios[(radios.indexOf(t) + step + radios.length) % radios.length];
  event.preventDefault();
  event.stopPropagation();
  if (next && next !== t) {
    next.focus();
    next.click();
  }
}

function install(css) {
  let style = document.getElementById(STYLE_ID);
  if (!style) {
    style = document.createElement("style");
    style.id = STYLE_ID;
    document.head.appendChild(style);
  }
  if (style.textContent !== css) style.textContent = css;
  if (window.__bonemetsCourse) return;
  window.__bonemetsCourse = true;
  document.addEventListener("keydown", onKeydown);
  let pending = false;
  const run = () => {
    pending = false;
    enhance(document);
    watchHeights(document);
  };
  new MutationObserver((records) => {
    // typing in a code editor changes nothing the course looks at: skip those batches
    const relevant = records.some((r) => {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      return !el || !el.closest(".cm-editor");
    });
    if (relevant && !pending) {
      pending = true;
      requestAnimationFrame(run);
    }
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
  run();
}

function render({ model, el }) {
  install(model.get("css"));
  model.on("change:css", () => install(model.get("css")));
  el.classList.add("bm-course-support");
  el.setAttribute("aria-hidden", "true");
}

export default { render };
