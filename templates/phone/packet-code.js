// What a packet's link says after its "#" (templates/phone/packet.js shows it): the short
// code a packet prints now, format 2 (pipeline/publish/phone/short.py), or a long one of
// format 1 (pipeline/publish/phone/code.py) printed before. page.py puts this file and
// packet.js into one script, this one first.
"use strict";

const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
// The numbers in a code, in order (publish/phone/code.py: CODE_FIELDS), then the sides
const FIELDS = ["hold_seconds", "reps", "sets", "frequency_times_per_day", "frequency_days_per_week", "rest_seconds"];
const SIDES = { e: "each", a: "alternate", n: "none" };
const SIDE_LETTERS = { each: "e", alternate: "a", none: "n" };

function checkCharacters(text) {
  let value = 0;
  for (const character of text) value = (value * 31 + character.codePointAt(0)) % 1296;
  return DIGITS[Math.floor(value / 36)] + DIGITS[value % 36];
}

/** The code's language and exercises, or null when it is not a code the studio printed:
 *  the short code a packet prints now (format 2), or the long one of format 1. */
function readCode(text) {
  return /[~.]/.test(text) ? readLongCode(text) : readShortCode(text);
}

// Format 2 (publish/phone/short.py): Crockford's base 32, read as a person may type it
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LOOK_ALIKES = { I: "1", L: "1", O: "0" };
const NAMED_LANGUAGES = ["en", "es"];
const SIDE_BITS = [null, "each", "alternate", "none"];
const KEY_BITS = 20;
const LARGEST = 100000;  // a number no dosage has: a code claiming one is not ours

function checkValue(symbols) {
  let value = 0;
  for (const symbol of symbols) value = (value * 31 + symbol) % 1024;
  return value;
}

function symbolsOf(text) {
  const symbols = [];
  for (const typed of text.toUpperCase().replace(/[\s-]/g, "")) {
    const index = ALPHABET.indexOf(LOOK_ALIKES[typed] || typed);
    if (index < 0) return null;
    symbols.push(index);
  }
  return symbols;
}

class BitReader {
  constructor(symbols) {
    this.bits = symbols.flatMap((symbol) => [4, 3, 2, 1, 0].map((shift) => (symbol >> shift) & 1));
    this.at = 0;
  }

  read(width) {
    if (this.at + width > this.bits.length) throw new RangeError("short");
    let value = 0;
    for (let i = 0; i < width; i += 1) value = value * 2 + this.bits[this.at + i];
    this.at += width;
    return value;
  }

  gamma() {
    let zeros = 0;
    while (this.read(1) === 0) zeros += 1;
    if (zeros > 20) throw new RangeError("long");
    return 2 ** zeros + (zeros ? this.read(zeros) : 0);
  }

  /** Only the zeros that make up the last character are left. */
  ended() {
    return this.bits.length - this.at < 5 && this.bits.slice(this.at).every((bit) => bit === 0);
  }
}

function readShortCode(text) {
  const symbols = symbolsOf(text);
  if (!symbols || symbols.length < 3) return null;
  const payload = symbols.slice(0, -2);
  if (checkValue(payload) !== symbols[symbols.length - 2] * 32 + symbols[symbols.length - 1]) return null;
  try {
    const bits = new BitReader(payload);
    if (bits.read(1) !== 0) return null;  // a later format than this page reads
    const language = readLanguage(bits);
    if (!language) return null;
    const count = bits.gamma();
    const published = bits.read(5);
    const items = [];
    for (let n = 0; n < count; n += 1) items.push(readShortItem(bits));
    if (!bits.ended()) return null;
    return { language, items, published, body: payload.map((s) => ALPHABET[s]).join("") };
  } catch (error) {
    return null;  // it ran out, or claimed a number no dosage has
  }
}

function readLanguage(bits) {
  const kind = bits.read(2);
  if (kind < 2) return NAMED_LANGUAGES[kind];
  let language = "";
  for (let n = 0; n < kind; n += 1) language += String.fromCharCode(97 + bits.read(5));
  return /^[a-z]{2,3}$/.test(language) ? language : null;
}

function readShortItem(bits) {
  const keyNumber = bits.read(KEY_BITS);
  const key = [3, 2, 1, 0].map((n) => ALPHABET[Math.floor(keyNumber / 32 ** n) % 32]).join("");
  const numbers = Object.fromEntries(FIELDS.map((name) => [name, null]));
  const item = { key, numbers, sides: null, cleared: [] };
  if (bits.read(1) === 0) return item;  // the published dosage
  const changed = FIELDS.filter(() => bits.read(1) === 1);
  const sidesChanged = bits.read(1) === 1;
  if (!changed.length && !sidesChanged) throw new RangeError("empty");
  for (const name of changed) {
    const value = bits.gamma();
    if (value - 2 > LARGEST) throw new RangeError("large");
    if (value === 1) item.cleared.push(name);
    else numbers[name] = value - 2;
  }
  if (sidesChanged) {
    item.sides = SIDE_BITS[bits.read(2)];
    if (!item.sides) throw new RangeError("sides");
  }
  return item;
}

/** The published dosages' 5 bits, as the packet's code has them (short.py: published_check). */
function publishedCheck(exercises) {
  const text = exercises.map((exercise) => {
    const dosage = exercise.dosage;
    const numbers = FIELDS.map((name) => {
      const value = name === "sets" ? (dosage.sets ?? 1) : fieldValue({ frequency: {}, ...dosage }, name);
      return Number.isInteger(value) ? String(value) : "";
    });
    return [...numbers, SIDE_LETTERS[dosage.sides || "none"] || ""].join(".");
  }).join("~");
  const value = checkValue([...text].map((character) => character.codePointAt(0)));
  return (value ^ (value >> 5)) & 31;
}

function readLongCode(text) {
  const parts = text.split("~");
  if (parts.length < 3) return null;
  const check = parts.pop();
  if (check !== checkCharacters(parts.join("~"))) return null;
  const [format, language, extra] = parts[0].split(".");
  if (format !== "1" || !/^[a-z]{2,3}$/.test(language || "") || extra !== undefined) return null;
  const items = [];
  for (const part of parts.slice(1)) {
    const bits = part.split(".");
    if (bits.length !== 2 + FIELDS.length || !/^[0-9a-z]{5}$/.test(bits[0])) return null;
    const numbers = {};
    for (const [index, name] of FIELDS.entries()) {
      const bit = bits[index + 1];
      if (bit !== "" && !/^[0-9]{1,4}$/.test(bit)) return null;
      numbers[name] = bit === "" ? null : Number(bit);
    }
    const sides = bits[FIELDS.length + 1];
    if (sides !== "" && !(sides in SIDES)) return null;
    items.push({ key: bits[0], numbers, sides: SIDES[sides] || null });
  }
  return { language, items, body: parts.join("~") };
}
