// The photo picker of the body editor. django-prose-editor opens this window
// as CKEditor did: CKEditorFuncNum names the callback that takes the chosen
// photo's URL, and its id, alt text and caption.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const opener = window.opener;
  const editor = opener && opener.CKEDITOR && opener.CKEDITOR.tools;
  if (!editor) {
    // Opened on its own: choosing would lead nowhere, say where to open it.
    document.querySelectorAll(".image-picker__choose").forEach((button) => {
      button.hidden = true;
    });
    document.querySelectorAll(".image-picker__standalone").forEach((note) => {
      note.hidden = false;
    });
    return;
  }
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".image-picker__choose");
    if (!button) {
      return;
    }
    editor.callFunction(button.dataset.callback, button.dataset.url, {
      id: button.dataset.id,
      alternative_text: button.dataset.alt,
      caption: button.dataset.caption,
    });
    window.close();
  });
});
