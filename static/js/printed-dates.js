// Beside every date picker, the day as the pages print it in the reader's language (contactcenter/formats):
// a native picker shows the browser's own format, which may differ from the one the pages use.
(function () {
  var root = document.documentElement;
  var formats = { date: root.dataset.dayFormat, "datetime-local": root.dataset.momentFormat };
  if (!formats.date || !formats["datetime-local"]) { return; }
  function printed(value, format) {
    var match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(value || "");
    if (!match) { return ""; }
    var parts = { Y: match[1], m: match[2], d: match[3], H: match[4] || "", i: match[5] || "" };
    return format.replace(/[YmdHi]/g, function (token) { return parts[token]; });
  }
  document.querySelectorAll('input[type="date"], input[type="datetime-local"]').forEach(function (input) {
    var note = document.createElement("span");
    note.className = "form-text printed-date ms-1";
    note.dataset.testid = "printed-date";
    note.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", note);
    function update() { note.textContent = printed(input.value, formats[input.type]); }
    input.addEventListener("input", update);
    input.addEventListener("change", update);
    update();
  });
})();
