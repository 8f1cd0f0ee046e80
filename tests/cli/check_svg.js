// Page script of check_svg.sh: parses SVG_BASE64 as XML, shows it inline and
// writes "SVG-OK n_texts=N n_bars=M" or "SVG-FAIL reason" into #verdict.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const TOLERANCE = 0.5; // px: rounding of boxes, not a real overlap

function verdict(text) {
  document.getElementById("verdict").textContent = text;
}

function decode(base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

function short(el) {
  const t = (el.textContent || "").trim();
  return "'" + (t.length > 40 ? t.slice(0, 40) + "..." : t) + "'";
}

// Box of an element in the SVG's user units (viewBox coordinates), from its
// on-screen box, so that transforms (rotated labels) count.
function userBox(svg, el) {
  const s = svg.getBoundingClientRect();
  const vb = svg.viewBox.baseVal;
  const sx = s.width / vb.width;
  const sy = s.height / vb.height;
  const r = el.getBoundingClientRect();
  return {
    left: (r.left - s.left) / sx + vb.x,
    right: (r.right - s.left) / sx + vb.x,
    top: (r.top - s.top) / sy + vb.y,
    bottom: (r.bottom - s.top) / sy + vb.y,
  };
}

function overlap(a, b) {
  return (
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > TOLERANCE &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > TOLERANCE
  );
}

function fmtBox(b) {
  return "[" + [b.left, b.top, b.right, b.bottom].map((v) => v.toFixed(1)).join(",") + "]";
}

function check() {
  let source;
  try {
    source = decode(SVG_BASE64);
  } catch (e) {
    return "SVG-FAIL not UTF-8: " + e.message;
  }
  const doc = new DOMParser().parseFromString(source, "image/svg+xml");
  const err = doc.getElementsByTagName("parsererror")[0];
  if (err) return "SVG-FAIL xml parse error: " + err.textContent.replace(/\s+/g, " ").trim();
  const root = doc.documentElement;
  if (root.localName !== "svg" || root.namespaceURI !== SVG_NS)
    return "SVG-FAIL root is not an svg element in the SVG namespace";
  for (const a of ["width", "height", "viewBox"])
    if (!root.hasAttribute(a)) return "SVG-FAIL the svg element has no " + a;

  for (const el of doc.getElementsByTagName("*")) {
    if (el.localName === "script" || el.localName === "foreignObject")
      return "SVG-FAIL has a <" + el.localName + "> element";
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) return "SVG-FAIL event attribute " + attr.name;
      if (attr.localName === "href" && !attr.value.startsWith("#"))
        return "SVG-FAIL external reference " + attr.value;
    }
  }

  const svg = document.importNode(root, true);
  document.getElementById("host").appendChild(svg);
  const vb = svg.viewBox.baseVal;
  if (!(vb.width > 0 && vb.height > 0)) return "SVG-FAIL empty viewBox";

  const texts = Array.from(svg.getElementsByTagNameNS(SVG_NS, "text"));
  const bars = Array.from(svg.getElementsByTagNameNS(SVG_NS, "rect")).filter((r) =>
    r.classList.contains("bar"));
  const boxes = [];
  for (const t of texts) {
    const bb = t.getBBox();
    if (!(bb.width > 0 && bb.height > 0)) return "SVG-FAIL text " + short(t) + " has an empty box";
    const b = userBox(svg, t);
    if (b.left < vb.x - TOLERANCE || b.top < vb.y - TOLERANCE ||
        b.right > vb.x + vb.width + TOLERANCE || b.bottom > vb.y + vb.height + TOLERANCE)
      return "SVG-FAIL text " + short(t) + " " + fmtBox(b) + " is outside the viewBox " +
             [vb.x, vb.y, vb.width, vb.height].join(" ");
    boxes.push(b);
  }
  for (let i = 0; i < texts.length; ++i)
    for (let j = i + 1; j < texts.length; ++j)
      if (overlap(boxes[i], boxes[j]))
        return "SVG-FAIL texts " + short(texts[i]) + " " + fmtBox(boxes[i]) + " and " +
               short(texts[j]) + " " + fmtBox(boxes[j]) + " overlap";
  for (const bar of bars) {
    const bb = userBox(svg, bar);
    for (let i = 0; i < texts.length; ++i)
      if (overlap(boxes[i], bb))
        return "SVG-FAIL text " + short(texts[i]) + " " + fmtBox(boxes[i]) + " overlaps a bar " +
               fmtBox(bb);
  }
  return "SVG-OK n_texts=" + texts.length + " n_bars=" + bars.length;
}

function run() {
  try {
    verdict(check());
  } catch (e) {
    verdict("SVG-FAIL script error: " + e.message);
  }
}

// Measure once the fonts are in, so that boxes are those of the real glyphs.
window.addEventListener("load", () => {
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(run, run);
  else run();
});
