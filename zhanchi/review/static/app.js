/* zhanchi review: keyboard shortcuts, field highlighting and zoom.
   Progressive enhancement only: every action also works as a plain link or form. */
(function () {
  "use strict";

  const ZOOMS = [50, 75, 100, 150, 200];

  function fields() { return Array.from(document.querySelectorAll("#case-side form.field")); }
  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }

  function select(form, scroll) {
    if (!form) return;
    fields().forEach(f => f.classList.toggle("selected", f === form));
    const key = form.dataset.key;
    const side = document.getElementById("case-side");
    if (side) side.dataset.selected = key;
    document.querySelectorAll("rect.box").forEach(r => r.classList.toggle("active", r.dataset.key === key));
    if (scroll !== false) form.scrollIntoView({ block: "nearest" });  // honours scroll-margin
    const page = form.dataset.page && document.getElementById(form.dataset.page);
    const box = document.querySelector('rect.box[data-key="' + key + '"]');
    const pages = document.getElementById("pages");
    if (page && pages) {
      // bring the field's box (else its page) into the middle of the page column
      const target = box || page;
      const r = target.getBoundingClientRect(), p = pages.getBoundingClientRect();
      if (r.top < p.top + 40 || r.bottom > p.bottom) {
        pages.scrollTop += r.top - p.top - p.height / 3;
      }
      if (box) {
        const dx = r.left - p.left;
        if (dx < 0 || r.right > p.right) pages.scrollLeft += dx - 40;
      }
    }
  }

  function selected() { return document.querySelector("#case-side form.field.selected") || fields()[0]; }

  function move(step) {
    const all = fields();
    if (!all.length) return;
    const i = all.indexOf(selected());
    select(all[Math.max(0, Math.min(all.length - 1, i + step))]);
  }

  function zoom(step) {
    const pages = document.getElementById("pages");
    if (!pages) return;
    const now = ZOOMS.find(z => pages.classList.contains("zoom-" + z)) || 100;
    setZoom(step === 0 ? 100 : ZOOMS[Math.max(0, Math.min(ZOOMS.length - 1, ZOOMS.indexOf(now) + step))]);
  }

  function setZoom(next) {
    const pages = document.getElementById("pages");
    if (!pages) return;
    ZOOMS.forEach(z => pages.classList.remove("zoom-" + z));
    pages.classList.add("zoom-" + next);
    document.querySelectorAll(".zoombar a[data-zoom]").forEach(a => a.classList.toggle("on", Number(a.dataset.zoom) === next));
    const sel = selected();
    if (sel) select(sel, false);
  }

  function openDecision(name) {
    const d = document.querySelector('#decide details[data-decision="' + name + '"]');
    if (!d) return;
    document.querySelectorAll("#decide details").forEach(x => { if (x !== d) x.open = false; });
    d.open = true;
    // approving with every check passed needs no note: Enter on the button confirms
    const optional = name === "approve" && !document.querySelector("#checks li.check.st-fail");
    const input = optional ? null : d.querySelector("textarea, input[name=reason]");
    (input || d.querySelector("button[type=submit]")).focus();
    d.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("click", function (e) {
    const zoomLink = e.target.closest(".zoombar a[data-zoom]");
    if (zoomLink) {
      e.preventDefault();
      setZoom(Number(zoomLink.dataset.zoom));
      return;
    }
    const jump = e.target.closest("#case-side a[data-field]");
    if (jump) {
      const form = document.getElementById(jump.dataset.field);
      if (form) { e.preventDefault(); select(form); }
      return;
    }
    const label = e.target.closest("#case-side form.field a.flabel");
    if (label) { e.preventDefault(); select(label.closest("form.field")); return; }
    const help = e.target.closest("[data-help]");
    if (help) { const d = document.getElementById("keys"); if (d && d.showModal) d.showModal(); }
  });

  document.addEventListener("focusin", function (e) {
    const form = e.target.closest && e.target.closest("#case-side form.field");
    if (form && !form.classList.contains("selected")) select(form, false);
  });

  document.addEventListener("keydown", function (e) {
    const el = document.activeElement;
    if (typing(el)) {
      if (e.key === "Escape") { el.blur(); }
      else if (e.key === "Enter" && el.tagName === "SELECT" && el.form) { e.preventDefault(); el.form.requestSubmit(); }
      else if (e.key === "Enter" && e.ctrlKey && el.tagName === "TEXTAREA" && el.form) { e.preventDefault(); el.form.requestSubmit(); }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key;
    let handled = true;
    if (k === "j" || k === "ArrowDown") move(1);
    else if (k === "k" || k === "ArrowUp") move(-1);
    else if (k === "e" || k === "Enter") {
      const f = selected();
      const input = f && f.querySelector("input[name=value], select[name=value]");
      if (input && !input.disabled) { input.focus(); if (input.select) input.select(); } else handled = false;
    }
    else if (k === "a") openDecision("approve");
    else if (k === "r") openDecision("reject");
    else if (k === "d") openDecision("request_documents");
    else if (k === "n") { const f = document.querySelector("form[data-next-case]"); if (f) f.requestSubmit(); }
    else if (k === "+" || k === "=") zoom(1);
    else if (k === "-") zoom(-1);
    else if (k === "0") zoom(0);
    else if (k === "?") { const d = document.getElementById("keys"); if (d && d.showModal) d.showModal(); }
    else handled = false;
    if (handled) e.preventDefault();
  });

  // After htmx swapped the side panel: keep the selection, move on to the next field
  document.addEventListener("htmx:afterSettle", function () {
    const side = document.getElementById("case-side");
    const key = side && side.dataset.selected;
    const form = key && document.getElementById(key);
    const bad = document.querySelector("#case-side form.field.invalid input[name=value]");
    if (bad) { select(bad.closest("form.field"), false); bad.focus(); return; }
    if (!form) return;
    // saved: go on to the next field, ready to type (the keyboard does the work)
    const all = fields();
    const next = all[all.indexOf(form) + 1] || form;
    select(next, false);
    const input = next.querySelector("input[name=value], select[name=value]");
    if (input && !input.disabled) input.focus({ preventScroll: true });
    next.scrollIntoView({ block: "center" });  // the sticky decision bar shows the checks' summary
  });

  document.addEventListener("DOMContentLoaded", function () {
    const side = document.getElementById("case-side");
    const key = side && side.dataset.selected;
    const form = key && document.getElementById(key);
    if (form) select(form, false);
  });
})();
