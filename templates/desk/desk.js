/* The front desk, a little quicker: the library filters as you type, the packet's buttons
   update the packet in place, the language chosen marks what cannot print in it, and "Make
   handout" asks the desk first, so a refusal comes back beside its fields and only a handout
   opens a tab. Without this script every button still works (each submits the form in the
   same tab and the page, or the PDF, comes back); nothing here stores the client's details. */
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
  var inPlace = { add: 1, up: 1, down: 1, remove: 1, drop: 1, check: 1, to_language: 1, leave_out: 1, search: 0 };
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button) { return; }
    if (button.hasAttribute("data-handout")) { event.preventDefault(); checkFirst(button); return; }
    if (button.name === "search") { event.preventDefault(); filter(); return; }
    if (!inPlace[button.name]) { return; }
    event.preventDefault();
    var data = new FormData(form);
    data.append(button.name, button.value);
    post("/", data, {})
      .then(function (answer) { replacePacket(answer.html, button); })
      .catch(function () { form.submit(); });
  });

  function post(url, data, headers) {
    headers["X-Desk-Part"] = "packet";
    return fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: headers })
      .then(function (r) {
        if (r.status === 204) { return { ok: true, html: null }; }
        var type = r.headers.get("Content-Type") || "";
        if (type.indexOf("text/html") !== 0) { throw new Error("unexpected"); }
        return r.text().then(function (html) { return { ok: false, html: html }; });
      });
  }

  function replacePacket(html, button) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("packet");
    if (!fresh) { document.open(); document.write(html); document.close(); return; }
    var old = document.getElementById("packet");
    old.parentNode.replaceChild(document.importNode(fresh, true), old);
    syncCards();
    markLanguages();
    watchMore();
    restoreFocus(button);
  }

  // Keep the keyboard where it was (the same card's button, the moved entry's arrow), or
  // put it on the first thing to fix.
  function restoreFocus(button) {
    var packet = document.getElementById("packet");
    var first = packet.getAttribute("data-focus");
    var target = first ? document.getElementById(first) : null;
    if (target) { openAround(target); }
    else if (button.name === "add" || button.name === "drop") { target = button; }
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

  function openAround(element) {
    var details = element.closest && element.closest("details");
    if (details) { details.open = true; }
  }

  // -- the library's cards follow the packet: "Added" with a Remove, or Add --------------
  function syncCards() {
    var picked = new Set(Array.prototype.map.call(
      document.querySelectorAll("#packet input[name=entry]"), function (el) { return el.value; }));
    Array.prototype.forEach.call(cards.querySelectorAll("button[name=add], button[name=drop]"), function (b) {
      var card = b.parentNode, id = b.value, inside = picked.has(id);
      if (inside === (b.name === "drop")) { return; }
      var mark = card.querySelector(".added");
      b.name = inside ? "drop" : "add";
      b.textContent = document.getElementById(inside ? "remove-word" : "add").textContent;
      b.setAttribute("aria-labelledby", (inside ? "drop" : "add") + " t-" + id);
      card.classList.toggle("in-packet", inside);
      if (inside && !mark) {
        mark = document.createElement("span");
        mark.className = "added";
        mark.textContent = document.getElementById("added-word").textContent;
        card.insertBefore(mark, b);
      } else if (!inside && mark) { mark.remove(); }
    });
  }

  // -- the chosen language marks what cannot print in it ----------------------------------
  function markLanguages() {
    var chosen = form.querySelector("input[name=language]:checked");
    if (!chosen) { return; }
    var words = document.getElementById("no-lang-" + chosen.value);
    Array.prototype.forEach.call(document.querySelectorAll("[data-langs]"), function (el) {
      var where = el.querySelector(".langs") || el.querySelector(".what");
      var mark = where && where.querySelector(".no-lang");
      var missing = el.getAttribute("data-langs").split(" ").indexOf(chosen.value) < 0;
      if (missing && !mark && where && words) {
        mark = document.createElement("strong");
        mark.className = "no-lang";
        where.appendChild(document.createTextNode(" "));
        where.appendChild(mark);
      }
      if (mark) { if (missing) { mark.textContent = words.textContent; } else { mark.remove(); } }
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "language") { markLanguages(); }
  });

  // -- "More below" while the packet's panel has more under its foot ------------------
  function watchMore() {
    var body = document.getElementById("packet-body"), more = document.getElementById("more");
    if (!body || !more) { return; }
    function update() { more.hidden = body.scrollTop + body.clientHeight >= body.scrollHeight - 4; }
    body.onscroll = update;
    more.onclick = function () { body.scrollBy({ top: body.clientHeight * 0.8, behavior: "smooth" }); };
    update();
  }
  window.addEventListener("resize", function () { watchMore(); });
  watchMore();
  markLanguages();  // a reload may keep another language checked

  // -- the handout: asked for first, opened in its own tab (or printed) only on a yes ----
  var frame = document.getElementById("print-frame");
  function checkFirst(button) {
    post("/handout", new FormData(form), { "X-Desk-Check": "1" })
      .then(function (answer) {
        if (answer.ok) { send(button); } else { replacePacket(answer.html, button); }
      })
      .catch(function () { send(button, "_self"); });
  }

  function send(button, target) {
    if (!target && button.hasAttribute("data-print")) {
      target = "print-frame";
      frame.onload = printed;
    }
    if (!target) { target = window.open("", "desk-handout") ? "desk-handout" : "_self"; }
    form.setAttribute("action", "/handout");
    form.setAttribute("target", target);
    form.submit();
    form.setAttribute("action", "/");
    form.removeAttribute("target");
  }

  function printed() {
    var type = (frame.contentDocument && frame.contentDocument.contentType) || "";
    if (type === "application/pdf" || !frame.contentDocument) {
      try { frame.contentWindow.focus(); frame.contentWindow.print(); } catch (e) { /* shown in the frame */ }
    } else {
      // Refused after the check said yes (the library changed meanwhile): show what to fix.
      document.open(); document.write(frame.contentDocument.documentElement.outerHTML); document.close();
    }
  }
})();
