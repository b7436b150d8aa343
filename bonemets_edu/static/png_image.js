// The course's figure view: PNG bytes arrive as a binary buffer (no base64, no HTML to parse); the next image is
// decoded off screen and swapped into a box of fixed size (no layout change), with its alt text for screen readers.
// Each shown frame dispatches a "bm-frame" event (times from performance.now()) that the end-to-end benchmark reads.
function render({ model, el }) {
  const img = document.createElement("img");
  img.className = "bm-figure";
  img.setAttribute("role", "img");
  img.style.maxWidth = "100%";
  img.style.height = "auto";
  img.style.display = "block";
  el.classList.add("bm-png-image");
  el.appendChild(img);
  let url = null;
  let seq = 0;

  async function show() {
    const received = performance.now();
    const mine = ++seq;
    const next = URL.createObjectURL(new Blob([model.get("value")], { type: "image/png" }));
    const loader = new Image();
    loader.src = next;
    try {
      await loader.decode();
    } catch (err) {
      // an undecodable image still replaces the old one (the browser shows its broken-image box with the alt)
    }
    if (mine !== seq) {  // a newer image arrived while this one was decoding
      URL.revokeObjectURL(next);
      return;
    }
    img.width = model.get("width");
    img.height = model.get("height");
    img.alt = model.get("alt");
    img.src = next;
    if (url) URL.revokeObjectURL(url);
    url = next;
    const decoded = performance.now();
    requestAnimationFrame(() => {
      el.dispatchEvent(new CustomEvent("bm-frame", {
        bubbles: true,
        detail: { received, decoded, painted: performance.now(), bytes: model.get("value").byteLength },
      }));
    });
  }

  model.on("change:value", show);
  model.on("change:alt", () => { img.alt = model.get("alt"); });
  show();
  return () => { if (url) URL.revokeObjectURL(url); };
}

export default { render };
