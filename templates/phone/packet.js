// The packet on the phone (html/packet.html): reads the code after "#", checks it, and shows
// the exercises in the packet's order with the client's dosage. The code's format is
// described in pipeline/publish/phone/short.py (read in packet-code.js, which comes first in
// the same script); the dosage is worded as publish/views.py words
// it on paper. Content is written as text, never as HTML. Nothing is sent anywhere: the
// day's ticks stay in this phone's localStorage until "Forget my ticks".
"use strict";

const TICKS = "bf-packet-ticks";

/** The exercise's own dosage with the code's numbers put in (publish/adjust.py: adjusted). */
function dosageFor(exercise, item) {
  const numbers = item.numbers;
  const dosage = { ...exercise.dosage, frequency: { ...(exercise.dosage.frequency || {}) } };
  if (item.sides) dosage.sides = item.sides;
  for (const name of item.cleared || []) {
    if (name.startsWith("frequency_")) delete dosage.frequency[name.slice("frequency_".length)];
    else delete dosage[name];
  }
  for (const name of FIELDS) {
    const value = numbers[name];
    if (value === null) continue;
    if (name.startsWith("frequency_")) dosage.frequency[name.slice("frequency_".length)] = value;
    else dosage[name] = value;
  }
  return dosage;
}

function fieldValue(dosage, name) {
  return name.startsWith("frequency_") ? dosage.frequency[name.slice("frequency_".length)] : dosage[name];
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** What the check would say of this dosage (publish/phone/limits.py), in its own words. */
function refusals(exercise, dosage) {
  const found = [];
  const limits = exercise.limits;
  for (const name of FIELDS) {
    const value = fieldValue(dosage, name);
    const limit = limits.fields[name];
    if (value === undefined || value === null || !limit) continue;
    if (limit.min !== null && value < limit.min) found.push(fill(limit.below || "{value}", { value }));
    else if (limit.max !== null && value > limit.max) found.push(fill(limit.above || "{value}", { value }));
  }
  const { hold_seconds: hold, reps } = dosage;
  if (limits.per_side !== null && hold && reps && hold * reps > limits.per_side) {
    found.push(fill(limits.per_side_words || "{hold} × {reps} = {total}", { hold, reps, total: hold * reps }));
  }
  return found;
}

function counted(language, singular, n) {
  const forms = language.plurals[singular];
  const index = Number(language.plural[Math.min(n, language.plural.length - 1)]);
  return forms[Math.min(index, forms.length - 1)].replace("{n}", String(n));
}

function capitalized(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The dosage in lines, as the handout's box says it (publish/views.py: dosage_view). */
function dosageLines(dosage, language) {
  const words = language.words;
  const groups = [];
  const hold = dosage.hold_seconds;
  const reps = dosage.reps;
  const sets = dosage.sets || 1;
  if (hold) groups.push([counted(language, "hold {n} second", hold)]);
  const howMany = [counted(language, "once", reps)];
  if (sets > 1) howMany.push(counted(language, "{n} set", sets));
  if (dosage.sides === "each") howMany.push(words["each side"]);
  else if (dosage.sides === "alternate") howMany.push(words["alternating sides"]);
  groups.push(howMany);
  const rest = dosage.rest_seconds;
  if (rest) {
    const between = sets > 1 ? "rest {n} second between sets" : "rest {n} second between repetitions";
    groups.push([counted(language, between, rest)]);
  }
  const often = [];
  const perDay = dosage.frequency.times_per_day;
  if (perDay) often.push(perDay === 2 ? words["twice a day"] : counted(language, "once a day", perDay));
  const days = dosage.frequency.days_per_week;
  if (days) often.push(days === 7 ? words["every day"] : counted(language, "1 day a week", days));
  if (often.length) groups.push([often.join(", ")]);
  return groups.map((group) => capitalized(group.join(", ")));
}

function element(name, attributes, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function callLink(studio, text) {
  if (!studio.tel) return studio.phone ? element("strong", {}, studio.phone) : null;
  return element("a", { class: "call", href: `tel:${studio.tel}` }, text);
}

function list(tag, items) {
  return element(tag, {}, items.map((item) => element("li", {}, item)));
}

function section(title, items, tag, className) {
  if (!items || !items.length) return null;
  return element("section", { class: className }, element("h3", {}, title), list(tag, items));
}

function figures(images) {
  if (!images.length) return null;
  return element("div", { class: "figures" }, images.map((image) => {
    const img = element("img", {
      src: image.url, srcset: image.srcset, width: image.width, height: image.height,
      alt: image.alt, loading: "lazy", decoding: "async",
    });
    const picture = image.webp_srcset
      ? element("picture", {}, element("source", { type: "image/webp", srcset: image.webp_srcset }), img)
      : img;
    const caption = image.caption || image.credit
      ? element("figcaption", {}, image.caption, image.credit ? element("span", { class: "credit" }, image.credit) : null)
      : null;
    return element("figure", {}, picture, caption);
  }));
}

class Packet {
  /** `exercises`: the files of the code's exercises, by key (none for one withdrawn since). */
  constructor(data, code, exercises) {
    this.data = data;
    this.code = code;
    this.exercises = exercises;
    this.language = code.language in data.languages ? code.language : "en";
    this.ticks = this.readTicks();
  }

  words() {
    return this.data.languages[this.language].words;
  }

  show(root) {
    document.documentElement.lang = this.language;
    const exercises = this.code.items.map((item) => this.exercises[item.key] || null);
    const refused = [];
    this.code.items.forEach((item, index) => {
      const exercise = exercises[index];
      if (exercise) refused.push(...refusals(exercise, dosageFor(exercise, item)));
    });
    root.replaceChildren();
    if (refused.length) {
      root.append(this.notice(this.words()["This link asks for more than the studio's safety limits allow, so it is not shown. Call us."], refused));
      return;
    }
    root.append(this.languageSwitch(), element("h1", {}, this.words()["Your exercises"]));
    this.code.items.forEach((item, index) => {
      const exercise = exercises[index];
      root.append(exercise ? this.exercise(exercise, item, index) : this.withdrawn(index));
    });
    root.append(this.forgetting());
  }

  notice(message, details) {
    return element("div", { class: "notice refusal", role: "alert" },
      element("h1", {}, message),
      details && details.length ? list("ul", details) : null,
      element("p", {}, callLink(this.data.studio, this.data.studio.phone)));
  }

  languageSwitch() {
    const others = Object.keys(this.data.languages).filter((code) => code !== this.language);
    if (!others.length) return null;
    return element("nav", { class: "languages", "aria-label": "Language" }, others.map((code) => {
      const button = element("button", { type: "button", lang: code }, this.data.languages[code].name);
      button.addEventListener("click", () => {
        this.language = code;
        this.show(document.getElementById("packet"));
      });
      return button;
    }));
  }

  exercise(exercise, item, index) {
    const words = this.words();
    const language = this.data.languages[this.language];
    // An exercise not yet published in this language is shown in English, marked as such
    const shown = exercise.text[this.language] ? this.language : "en";
    const text = exercise.text[shown];
    const dosage = dosageFor(exercise, item);
    const id = `exercise-${index + 1}`;
    const total = this.code.items.length;
    return element("article", { class: "exercise", "aria-labelledby": id, lang: shown === this.language ? null : shown },
      total > 1 ? element("p", { class: "position" }, fill(words["Exercise {position} of {total}"], { position: index + 1, total })) : null,
      element("h2", { id }, text.title),
      element("p", { class: "meta" }, text.meta),
      element("p", { class: "summary" }, text.summary),
      element("section", { class: "dosage" }, element("h3", {}, words["How much"]), list("ul", dosageLines(dosage, language))),
      element("section", { class: "stop" },
        element("h3", {}, words["Stop and call us if"]),
        list("ul", text.stop_if),
        this.data.studio.phone ? element("p", {}, callLink(this.data.studio, fill(words["Call us: {phone}"], { phone: this.data.studio.phone }))) : null),
      this.tickBoxes(index, dosage),
      figures(text.images),
      section(words["Getting ready"], text.setup, "ol", "setup"),
      section(words["What to do"], text.steps, "ol", "steps"),
      section(words["Tips"], text.cues, "ul", "cues"),
      text.variations.length ? element("section", { class: "variations" }, element("h3", {}, words["Variations"]),
        element("dl", {}, text.variations.map(([label, name, instructions]) => [
          element("dt", {}, `${label}: ${name}`), element("dd", {}, instructions)]))) : null,
      section(words["Be careful"], text.cautions, "ul", "cautions"),
      section(words["Ask us first if you have"], text.contraindications, "ul", "contraindications"),
      text.video ? element("p", {}, element("a", { href: text.video, rel: "noopener noreferrer" }, words["Watch the video"])) : null);
  }

  withdrawn(index) {
    return element("article", { class: "exercise withdrawn" },
      element("h2", {}, fill(this.words()["Exercise {position} of {total}"], { position: index + 1, total: this.code.items.length })),
      element("p", {}, this.words()["This exercise is no longer in the studio's library: call us."]),
      element("p", {}, callLink(this.data.studio, this.data.studio.phone)));
  }

  tickBoxes(index, dosage) {
    const sessions = dosage.frequency.times_per_day || 1;
    const done = this.ticks[index] || [];
    const boxes = [];
    for (let session = 0; session < sessions; session += 1) {
      const box = element("input", { type: "checkbox", class: "tick", checked: done[session] ? "checked" : null });
      box.addEventListener("change", () => this.tick(index, session, box.checked));
      boxes.push(element("label", {}, box, sessions > 1 ? ` ${session + 1}` : ` ${this.words()["Done"]}`));
    }
    return element("fieldset", { class: "ticks" },
      element("legend", {}, this.words()["Done today"]),
      element("p", {}, this.words()["Tick each time you do it today. Your ticks stay on this phone only."]),
      boxes);
  }

  forgetting() {
    const button = element("button", { type: "button", class: "forget" }, this.words()["Forget my ticks"]);
    const said = element("p", { role: "status" });
    button.addEventListener("click", () => {
      localStorage.removeItem(TICKS);
      this.ticks = {};
      for (const box of document.querySelectorAll("input.tick")) box.checked = false;
      said.textContent = this.words()["Your ticks are forgotten."];
    });
    return element("section", { class: "forgetting" }, button, said);
  }

  // Ticks: {"<code>": {"day": "2026-11-30", "done": {"0": [true, false]}}}, today's only
  readTicks() {
    try {
      const kept = JSON.parse(localStorage.getItem(TICKS) || "{}")[this.code.body];
      return kept && kept.day === today() ? kept.done : {};
    } catch (error) {
      return {};
    }
  }

  tick(index, session, checked) {
    const done = this.ticks[index] || [];
    done[session] = checked;
    this.ticks[index] = done;
    let all = {};
    try {
      all = JSON.parse(localStorage.getItem(TICKS) || "{}");
    } catch (error) {
      all = {};
    }
    for (const [body, kept] of Object.entries(all)) if (kept.day !== today()) delete all[body];
    all[this.code.body] = { day: today(), done: this.ticks };
    localStorage.setItem(TICKS, JSON.stringify(all));
  }
}

function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The files of the code's exercises, by the code's keys; one the library no longer has
 *  (not in `data.exercises`) is left out: it shows as withdrawn. A short code's are asked for
 *  at once, side by side with the page's data; a long code's keys are looked up in it. */
function exercisesOf(code) {
  const version = document.documentElement.dataset.packetVersion;
  const keys = [...new Set(code.items.map((item) => item.key))];
  const fileOf = (key) => fetch(`packet/exercises/${key}.json?v=${version}`)
    .then((response) => (response.ok ? response.json() : null), () => null);
  const early = code.published !== undefined ? keys.map(fileOf) : null;
  return async (data) => {
    const named = keys.map((key) => (early ? key : (data.long || {})[key]));
    const found = await Promise.all(early || named.map((name) => (name ? fileOf(name) : null)));
    return Object.fromEntries(keys.map((key, index) => [key, found[index]])
      .filter(([key, file], index) => file && data.exercises.includes(named[index])));
  };
}

/** A short code says only what the desk changed: if the library has changed an exercise's
 *  own dosage since, the page would not say what the paper says, so it is refused. */
function stillAsPrinted(code, exercises) {
  if (code.published === undefined) return true;
  const found = code.items.map((item) => exercises[item.key]);
  if (found.some((exercise) => !exercise)) return true;  // a withdrawn one shows as withdrawn
  return publishedCheck(found) === code.published;
}

/** A link that is not one the studio printed: said in each of the studio's languages. */
function damaged(data) {
  const said = Object.entries(data.languages).map(([code, language]) => element("p", { lang: code },
    language.words["This link is damaged. Ask the studio for your packet's link again, or call us."]));
  return element("div", { class: "notice refusal", role: "alert" }, said,
    element("p", {}, callLink(data.studio, data.studio.phone)));
}

/** Opened from a saved file (file://), a browser lets the page read none of its data: the
 *  words the page carries say what to do, in the packet's language first, with a link to the
 *  same packet on the studio's website when the code is one the studio printed. */
function savedCopy(root, code) {
  const notice = document.getElementById("saved-copy");
  const first = code ? notice.querySelector(`p[lang="${code.language}"]`) : null;
  if (first) notice.prepend(first);
  const online = notice.dataset.online;
  for (const link of notice.querySelectorAll("a.online")) {
    if (!online || !code) continue;
    link.href = online + window.location.hash;
    link.hidden = false;
  }
  notice.classList.add("shown");
  root.replaceChildren(notice);
}

async function start() {
  const root = document.getElementById("packet");
  let fragment = window.location.hash.slice(1);
  try {
    fragment = decodeURIComponent(fragment);
  } catch (error) {
    fragment = "";
  }
  const code = readCode(fragment);
  if (window.location.protocol === "file:") {
    savedCopy(root, code);
    document.documentElement.dataset.shown = "yes";
    return;
  }
  const exercises = code ? exercisesOf(code) : null;
  const response = await fetch(document.documentElement.dataset.packetData);
  const data = await response.json();
  const found = code ? await exercises(data) : null;
  if (!code || !stillAsPrinted(code, found)) {
    root.replaceChildren(damaged(data));
  } else {
    new Packet(data, code, found).show(root);
  }
  document.documentElement.dataset.shown = "yes";  // for tests and the benchmark
  performance.mark("packet-shown");
  window.addEventListener("hashchange", () => window.location.reload());
}

if ("serviceWorker" in navigator) navigator.serviceWorker.register("packet-sw.js").catch(() => {});
start();
