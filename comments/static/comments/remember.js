/*
 * "Ricordami" for the comment form: if the reader asked to be remembered, fill
 * in the empty fields from the first-party cookie the server set when they
 * ticked the box. The form works the same without this script; the cookie is
 * never sent anywhere but this site.
 */
(function () {
  "use strict";
  var form = document.querySelector("form.comment-form");
  var match = document.cookie.match(/(?:^|;\s*)commenti_autore=([^;]*)/);
  if (!form || !match) return;
  var saved;
  try {
    saved = JSON.parse(decodeURIComponent(match[1]));
  } catch (error) {
    return;
  }
  ["name", "email", "website"].forEach(function (name) {
    var input = form.elements[name];
    if (input && !input.value && typeof saved[name] === "string") input.value = saved[name];
  });
  if (form.elements.remember) form.elements.remember.checked = true;
})();
