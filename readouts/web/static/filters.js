// Filter forms (events, timeline): empty fields are "no filter", so drop them and the URL validates.
"use strict";

for (const form of document.querySelectorAll("form.filters")) {
  form.addEventListener("submit", (ev) => {
    for (const el of ev.target.elements) { if (el.name && !el.value) el.disabled = true; }
  });
}
