// Live checking for pipeline edit (pipeline/edit/live.py): as the author types, the form's
// state goes to /check/<kind>/<id> and what the check says is shown beside each field, in
// the words Save would refuse with. Without this script every page still works: Save
// checks the same way. A packaged file, no inline script: the CSP allows nothing else.
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-check]");
  if (!form || !window.fetch) return;
  var url = form.getAttribute("data-live-check");
  var status = document.getElementById("live-status");
  var WAIT_MS = 300; // after the last key: one check per pause, not one per key
  var timer = null;
  var running = false;
  var again = false;

  function fields() {
    // The form's text fields only (a photo is sent by Save or Preview, never while typing).
    var sent = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "button") sent.append(name, value);
    });
    return sent;
  }

  function said(kind, text) {
    var span = document.createElement("span");
    span.className = kind;
    span.textContent = text;
    return span;
  }

  function show(found) {
    form.querySelectorAll(".said[data-for]").forEach(function (region) {
      var id = region.getAttribute("data-for");
      var errors = found.errors[id] || [];
      var warnings = found.warnings[id] || [];
      var shown = errors.map(function (t) { return said("problem", t); })
        .concat(warnings.map(function (t) { return said("warning", t); }));
      var before = region.textContent;
      region.replaceChildren.apply(region, shown);
      if (region.textContent === before) return;
      var control = document.getElementById(id);
      if (control && control.matches("input, select, textarea")) {
        if (errors.length) control.setAttribute("aria-invalid", "true");
        else control.removeAttribute("aria-invalid");
      }
    });
    var general = document.getElementById("general-problems");
    if (general) {
      general.replaceChildren.apply(general, found.general.map(function (text) {
        var item = document.createElement("li");
        item.className = "warning";
        item.textContent = text;
        return item;
      }));
    }
    if (status) {
      status.textContent = found.count
        ? found.count + (found.count === 1 ? " problem" : " problems") + " to fix before saving"
        : "No problems found";
      status.className = "live-status" + (found.count ? " has-problems" : "");
    }
  }

  function check() {
    if (running) { again = true; return; }
    running = true;
    fetch(url, { method: "POST", body: fields(), credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (found) { if (found) show(found); })
      .catch(function () { /* the editor stopped: Save still says what is wrong */ })
      .then(function () {
        running = false;
        if (again) { again = false; check(); }
      });
  }

  function soon(event) {
    if (event.target && event.target.type === "file") return;
    window.clearTimeout(timer);
    timer = window.setTimeout(check, WAIT_MS);
  }

  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
})();
