// The ticket page: the live SMS counter of the reply form, and releasing the soft lock on leaving.
// The counter mirrors sms_gateway/sms/encoding.py (to_gsm7, then measure); the server measures again.
(function () {
  "use strict";
  var BASIC = "@\u00a3$\u00a5\u00e8\u00e9\u00f9\u00ec\u00f2\u00c7\n\u00d8\u00f8\r\u00c5\u00e5\u0394_\u03a6\u0393\u039b\u03a9\u03a0\u03a8\u03a3\u0398\u039e\u00c6\u00e6\u00df\u00c9 !\"#\u00a4%&'()*+,-./0123456789:;<=>?\u00a1ABCDEFGHIJKLMNOPQRSTUVWXYZ\u00c4\u00d6\u00d1\u00dc\u00a7\u00bfabcdefghijklmnopqrstuvwxyz\u00e4\u00f6\u00f1\u00fc\u00e0";
  var EXTENDED = "^{}\\[~]|\u20ac\f";
  var SUBSTITUTIONS = {"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "“": "\"", "”": "\"", "„": "\"", "″": "\"", "«": "\"", "»": "\"", "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "…": "...", " ": " ", " ": " ", " ": " ", " ": " ", "​": "", "‌": "", "‍": "", "﻿": "", "\t": " ", "•": "-", "·": "-", "→": "->", "×": "x", "°": "o", "á": "a", "â": "a", "ã": "a", "í": "i", "î": "i", "ï": "i", "ó": "o", "ô": "o", "õ": "o", "ú": "u", "û": "u", "ê": "e", "ë": "e", "ç": "c", "Á": "A", "Í": "I", "Ó": "O", "Ú": "U", "È": "E", "Ê": "E"};
  var GSM7_SINGLE = 160, GSM7_PART = 153, UCS2_SINGLE = 70, UCS2_PART = 67;

  function inGsm7(ch) { return BASIC.indexOf(ch) >= 0 || EXTENDED.indexOf(ch) >= 0; }
  function allGsm7(text) {
    for (var i = 0; i < text.length; i++) { if (!inGsm7(text[i])) { return false; } }
    return true;
  }

  function toGsm7(text) {
    var out = "";
    for (var ch of text) {
      if (inGsm7(ch)) { out += ch; continue; }
      if (Object.prototype.hasOwnProperty.call(SUBSTITUTIONS, ch)) { out += SUBSTITUTIONS[ch]; continue; }
      var stripped = ch.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
      out += stripped && allGsm7(stripped) ? stripped : ch;
    }
    return out;
  }

  function measure(text) {
    if (allGsm7(text)) {
      var units = 0;
      for (var i = 0; i < text.length; i++) { units += EXTENDED.indexOf(text[i]) >= 0 ? 2 : 1; }
      return { encoding: "GSM-7", units: units,
               segments: units <= GSM7_SINGLE ? 1 : Math.ceil(units / GSM7_PART),
               limit: units <= GSM7_SINGLE ? GSM7_SINGLE : GSM7_PART * Math.ceil(units / GSM7_PART) };
    }
    var n = text.length;  // UTF-16 code units, as the server counts them
    return { encoding: "UCS-2", units: n,
             segments: n <= UCS2_SINGLE ? 1 : Math.ceil(n / UCS2_PART),
             limit: n <= UCS2_SINGLE ? UCS2_SINGLE : UCS2_PART * Math.ceil(n / UCS2_PART) };
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  function counter() {
    var area = document.getElementById("reply-text");
    var out = document.getElementById("segments");
    if (!area || !out) { return; }
    var update = function () {
      var text = toGsm7(area.value.trim());
      var m = text ? measure(text) : { encoding: "GSM-7", units: 0, segments: 0, limit: GSM7_SINGLE };
      var most = parseInt(out.dataset.most || "3", 10);
      var shown = fill(out.dataset.template, m);
      if (m.segments > most) { shown += " · " + fill(out.dataset.tooLong, { most: most }); }
      out.textContent = shown;
      out.dataset.segments = String(m.segments);
      out.dataset.encoding = m.encoding;
      out.classList.toggle("too-long", m.segments > most);
    };
    area.addEventListener("input", update);
    update();
  }

  function releaseOnLeave() {
    var lock = document.getElementById("lock");
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (!lock || !meta || !navigator.sendBeacon) { return; }
    window.addEventListener("pagehide", function () {
      var form = new FormData();
      form.append("csrf_token", meta.content);
      navigator.sendBeacon(lock.dataset.release, form);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { counter(); releaseOnLeave(); });
})();
