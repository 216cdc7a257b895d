// The phone simulator: keep the newest SMS in view, count characters as an SMS would, clear after sending.
(function () {
  "use strict";
  var GSM = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var EXTENDED = "^{}\\[~]|€";

  function measure(text) {
    var units = 0, unicode = false;
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      if (GSM.indexOf(ch) >= 0) { units += 1; }
      else if (EXTENDED.indexOf(ch) >= 0) { units += 2; }
      else { unicode = true; break; }
    }
    if (unicode) {
      units = text.length;
      return { chars: units, encoding: "UCS-2", segments: units <= 70 ? 1 : Math.ceil(units / 67) };
    }
    return { chars: units, encoding: "GSM-7", segments: units <= 160 ? 1 : Math.ceil(units / 153) };
  }

  function scrollDown() {
    var screen = document.getElementById("phone-screen");
    if (screen) { screen.scrollTop = screen.scrollHeight; }
  }

  function count() {
    var form = document.getElementById("phone-form");
    var out = document.getElementById("phone-counter");
    if (!form || !out) { return; }
    var text = form.querySelector('textarea[name="text"]').value;
    if (!text) { out.textContent = ""; return; }
    var m = measure(text);
    out.textContent = m.chars + " · " + m.encoding + " · " + m.segments + " SMS";
  }

  document.addEventListener("DOMContentLoaded", function () {
    scrollDown();
    var form = document.getElementById("phone-form");
    if (form) { form.addEventListener("input", count); }
  });
  document.addEventListener("htmx:afterSwap", scrollDown);
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = document.getElementById("phone-form");
    if (form && event.detail.elt === form && event.detail.successful) {
      form.querySelector('textarea[name="text"]').value = "";
      count();
    }
  });
})();
