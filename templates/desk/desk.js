/* The front desk, a little quicker: the library filters as you type, and the packet's
   buttons update the packet in place. Without this script every button still works (each
   submits the form and the page comes back); nothing here stores the client's details. */
(function () {
  "use strict";
  var form = document.getElementById("desk");
  if (!form || !window.fetch || !window.FormData) { return; }
  var cards = document.getElementById("cards");
  var status = document.getElementById("status");

  // -- instant search --------------------------------------------------------------------
  var timer = null;
  var filters = ["q", "f-target", "f-equipment", "f-level"].map(function (id) { return document.getElementById(id); });
  function filter() {
    var params = new URLSearchParams();
    filters.forEach(function (el) { if (el.value) { params.set(el.name, el.value); } });
    fetch("/search?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (found) {
        if (!found) { return; }
        var wanted = new Set(found.ids);
        Array.prototype.forEach.call(cards.querySelectorAll("h3"), function (title) {
          title.parentNode.hidden = !wanted.has(title.id.slice(2));  // <h3 id="t-ID">
        });
        status.textContent = found.status;
      }).catch(function () {});
  }
  filters.forEach(function (el) {
    el.addEventListener(el.tagName === "SELECT" ? "change" : "input", function () {
      clearTimeout(timer); timer = setTimeout(filter, 120);
    });
  });

  // -- the packet's buttons, without reloading the page --------------------------------
  var inPlace = { add: 1, up: 1, down: 1, remove: 1, check: 1, search: 0 };
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button) { return; }
    if (button.hasAttribute("data-print")) { return; }  // goes to the frame (see below)
    if (button.name === "search") { event.preventDefault(); filter(); return; }
    if (!inPlace[button.name]) { return; }
    event.preventDefault();
    var data = new FormData(form);
    data.append(button.name, button.value);
    fetch("/", { method: "POST", body: data, credentials: "same-origin", headers: { "X-Desk-Part": "packet" } })
      .then(function (r) {
        var type = r.headers.get("Content-Type") || "";
        if (type.indexOf("text/html") !== 0) { throw new Error("unexpected"); }
        return r.text().then(function (html) { return { ok: r.status < 500, html: html }; });
      })
      .then(function (answer) { replacePacket(answer.html, button); })
      .catch(function () { form.submit(); });
  });

  function replacePacket(html, button) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("packet");
    if (!fresh) { document.open(); document.write(html); document.close(); return; }
    var old = document.getElementById("packet");
    old.parentNode.replaceChild(document.importNode(fresh, true), old);
    restoreFocus(button);
  }

  // Keep the keyboard where it was: on the same card's Add, on the moved entry's arrow.
  function restoreFocus(button) {
    var packet = document.getElementById("packet");
    var target = null;
    var invalid = packet.querySelector("[aria-invalid=true]");
    if (invalid) { target = invalid; }
    else if (button.name === "add") { target = button; }
    else if (button.name === "up" || button.name === "down") {
      var index = parseInt(button.value, 10) + (button.name === "up" ? -1 : 1);
      target = packet.querySelector('button[name="' + button.name + '"][value="' + index + '"]:not([disabled])') ||
        packet.querySelector('button[name="remove"][value="' + index + '"]');
    } else if (button.name === "remove") {
      target = packet.querySelector('button[name="remove"][value="' + button.value + '"]') ||
        packet.querySelector('button[name="remove"]') || document.getElementById("packet-h");
    } else if (button.name === "check") {
      target = packet.querySelector('button[name="check"][value="' + button.value + '"]');
    }
    if (target && document.body.contains(target)) { target.focus(); }
  }

  // -- print: the PDF goes to a hidden frame, then the browser's print dialog opens ----
  var frame = document.getElementById("print-frame");
  form.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-print]");
    if (button) { printHandout(button); }
  });
  function printHandout(button) {
    button.setAttribute("formtarget", "print-frame");  // set before the form is submitted
    frame.onload = function () {
      var type = (frame.contentDocument && frame.contentDocument.contentType) || "";
      if (type === "application/pdf" || !frame.contentDocument) {
        try { frame.contentWindow.focus(); frame.contentWindow.print(); } catch (e) { /* shown in the frame */ }
      } else {
        // The desk answered with a page saying what to fix: show it instead.
        document.open(); document.write(frame.contentDocument.documentElement.outerHTML); document.close();
      }
      button.setAttribute("formtarget", "_blank");
    };
  }
})();
