// Accessible names for the article form's controls that Django's admin and
// its widgets leave unnamed (axe rules "label" and "aria-input-field-name"):
// inline table cells (named by their column), the date and time halves of
// "Data di pubblicazione", select2's boxes and the rich-text editor. Runs
// again whenever the page changes: inline rows and select2 boxes come later.
"use strict";
(function () {
  function clean(text) {
    return (text || "").replace(/\s+/g, " ").replace(/[:*\s]+$/, "").trim();
  }

  function labelOf(control) {
    if (control.getAttribute("aria-label")) return control.getAttribute("aria-label");
    if (control.labels && control.labels.length) return clean(control.labels[0].textContent);
    const cell = control.closest("td");
    const table = control.closest("table");
    if (cell && table) {
      const header = table.querySelectorAll("thead th")[cell.cellIndex];
      if (header) return clean(header.textContent);
    }
    const split = control.closest(".datetime");
    if (split) {
      const row = split.closest(".form-row, .fieldBox, div");
      const field = row && row.querySelector("label");
      let part = control.previousSibling;
      while (part && part.nodeType !== Node.TEXT_NODE) part = part.previousSibling;
      return [field && clean(field.textContent), part && clean(part.textContent)]
        .filter(Boolean)
        .join(", ");
    }
    return "";
  }

  function name(element, text) {
    if (text && !element.getAttribute("aria-label") && !element.getAttribute("aria-labelledby")) {
      element.setAttribute("aria-label", text);
    }
  }

  function nameAll() {
    document.querySelectorAll("#content-main input, #content-main select, #content-main textarea")
      .forEach(function (control) {
        if (control.type === "hidden" || (control.labels && control.labels.length)) return;
        if (control.closest(".select2-container")) return;
        name(control, labelOf(control));
      });
    document.querySelectorAll(".select2-container").forEach(function (box) {
      const select = box.previousElementSibling;
      if (!select || select.tagName !== "SELECT") return;
      const text = labelOf(select);
      box.querySelectorAll(".select2-selection, .select2-selection__rendered[role]")
        .forEach(function (part) {
          part.removeAttribute("aria-labelledby");
          name(part, text);
        });
      box.querySelectorAll(".select2-search__field").forEach(function (field) {
        name(field, text);
      });
    });
    document.querySelectorAll(".select2-container--open .select2-search__field")
      .forEach(function (field) { name(field, "Cerca"); });
    document.querySelectorAll(".prose-editor").forEach(function (editor) {
      const textarea = editor.querySelector("textarea");
      const surface = editor.querySelector("[contenteditable]");
      if (textarea && surface) name(surface, labelOf(textarea));
    });
  }

  let pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      nameAll();
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", nameAll);
})();
