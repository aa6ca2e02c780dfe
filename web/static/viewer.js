// The reviewer's desk: page images beside the extracted fields. Zoom, pan (drag or scroll),
// rotate and thumbnails; a field shows the page it was read from with its region outlined.
// Keys (outside text boxes): j / k next / previous field, c confirm it, e edit it,
// n / p next / previous page, + / - zoom, r rotate, 0 fit.
(() => {
  "use strict";
  const stage = document.getElementById("stage");
  if (!stage) return;
  const paper = document.getElementById("paper");
  const image = document.getElementById("page-view");
  const mark = document.getElementById("highlight");
  const label = document.getElementById("page-label");
  const thumbs = Array.from(document.querySelectorAll(".thumb"));
  const rows = Array.from(document.querySelectorAll("tr[data-field]"));
  let page = 0, zoom = 1, turn = 0, field = -1;

  function showPage(index, region) {
    if (!thumbs.length) return;
    page = (index + thumbs.length) % thumbs.length;
    const thumb = thumbs[page];
    if (image.getAttribute("src") !== thumb.dataset.src) image.setAttribute("src", thumb.dataset.src);
    image.setAttribute("alt", thumb.getAttribute("aria-label"));
    thumbs.forEach((t, i) => t.setAttribute("aria-current", i === page ? "true" : "false"));
    label.textContent = `${page + 1} / ${thumbs.length} · ${thumb.dataset.kind}`;
    outline(region);
  }

  function outline(region) {
    if (!region) { mark.hidden = true; return; }
    const [x, y, w, h] = region.split(",").map(Number);
    Object.assign(mark.style, {left: `${x * 100}%`, top: `${y * 100}%`,
                               width: `${w * 100}%`, height: `${h * 100}%`});
    mark.hidden = false;
    // bring the outlined region into view inside the stage
    const box = mark.getBoundingClientRect(), view = stage.getBoundingClientRect();
    stage.scrollTop += box.top - view.top - view.height / 3;
    stage.scrollLeft += box.left - view.left - view.width / 4;
  }

  function layout() {
    paper.style.width = `${zoom * 100}%`;
    paper.style.transform = turn ? `rotate(${turn}deg)` : "";
    paper.dataset.zoom = String(zoom);
    paper.dataset.turn = String(turn);
  }

  function setZoom(next) { zoom = Math.min(6, Math.max(0.5, next)); layout(); }

  function focusField(index) {
    if (!rows.length) return;
    field = (index + rows.length) % rows.length;
    const row = rows[field];
    rows.forEach((r) => r.classList.toggle("current", r === row));
    row.focus({preventScroll: true});
    row.scrollIntoView({block: "nearest", inline: "nearest"});
    const target = thumbs.findIndex((t) => t.dataset.pageId === row.dataset.page);
    if (target >= 0) showPage(target, row.dataset.region); else outline(null);
  }

  thumbs.forEach((thumb, i) => thumb.addEventListener("click", () => showPage(i)));
  rows.forEach((row, i) => row.addEventListener("click", (event) => {
    if (!event.target.closest("form")) focusField(i);
  }));
  const click = (id, action) => {
    const button = document.getElementById(id);
    if (button) button.addEventListener("click", action);
  };
  click("zoom-in", () => setZoom(zoom * 1.25));
  click("zoom-out", () => setZoom(zoom / 1.25));
  click("rotate", () => { turn = (turn + 90) % 360; layout(); });
  click("fit", () => { zoom = 1; turn = 0; layout(); });
  click("prev-page", () => showPage(page - 1));
  click("next-page", () => showPage(page + 1));

  let drag = null;  // pan by dragging the page
  stage.addEventListener("pointerdown", (e) => {
    drag = {x: e.clientX, y: e.clientY, left: stage.scrollLeft, top: stage.scrollTop};
  });
  window.addEventListener("pointerup", () => { drag = null; });
  stage.addEventListener("pointermove", (e) => {
    if (!drag) return;
    stage.scrollLeft = drag.left - (e.clientX - drag.x);
    stage.scrollTop = drag.top - (e.clientY - drag.y);
  });

  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target.closest("input, textarea, select")) return;
    const row = rows[field];
    const keys = {
      j: () => focusField(field + 1), k: () => focusField(field - 1),
      n: () => showPage(page + 1), p: () => showPage(page - 1),
      "+": () => setZoom(zoom * 1.25), "=": () => setZoom(zoom * 1.25),
      "-": () => setZoom(zoom / 1.25), r: () => { turn = (turn + 90) % 360; layout(); },
      0: () => { zoom = 1; turn = 0; layout(); },
      c: () => { const form = row && row.querySelector("form.confirm"); if (form) form.requestSubmit(); },
      e: () => { const input = row && row.querySelector("input[name=value]:not([type=hidden])"); if (input) input.focus(); },
    };
    const act = keys[e.key];
    if (act) { e.preventDefault(); act(); }
  });

  layout();
  const wanted = decodeURIComponent(location.hash.replace(/^#field-/, ""));
  const start = rows.findIndex((r) => r.dataset.field === wanted);
  if (start >= 0) focusField(start); else showPage(0);
  document.documentElement.dataset.desk = "ready";  // the keys work from here on
})();
