/*
 * The too-fast rule: the comment form says when the reader turned to it. The
 * page may have been stored by a cache long before it was shown, with the
 * token of its render; so when the reader first enters the form, it asks the
 * server for a token of now. Without this script the form keeps the token of
 * its render, and the other rules still apply.
 */
(function () {
  "use strict";
  var form = document.querySelector("form.comment-form");
  if (!form || !form.elements.started || !form.dataset.startedUrl || !window.fetch) return;
  form.addEventListener(
    "focusin",
    function () {
      fetch(form.dataset.startedUrl, { credentials: "omit", cache: "no-store" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && typeof data.started === "string") form.elements.started.value = data.started;
        })
        .catch(function () {});
    },
    { once: true }
  );
})();
