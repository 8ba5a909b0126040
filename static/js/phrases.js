// The standard phrases beside a text field (templates/phrases/_panel.html): a search that narrows the list,
// and "Insert", which puts the phrase at the cursor of the field and counts the insertion (a POST, with the
// page's CSRF token). Without this script the phrases are still listed, to copy by hand.
(function () {
  function insertAt(field, text) {
    var start = field.selectionStart == null ? field.value.length : field.selectionStart;
    var end = field.selectionEnd == null ? start : field.selectionEnd;
    var before = field.value.slice(0, start);
    var after = field.value.slice(end);
    var gap = before && !/\s$/.test(before) ? " " : "";
    field.value = before + gap + text + after;
    var cursor = (before + gap + text).length;
    field.focus();
    field.setSelectionRange(cursor, cursor);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function count(panel, url) {
    if (!panel.dataset.csrf) { return; }
    var body = new FormData();
    body.append("place", panel.dataset.place);
    var branch = panel.dataset.branch || "";
    if (panel.dataset.branchField) {
      var select = document.getElementById(panel.dataset.branchField);
      if (select && select.value) { branch = select.value; }
    }
    if (branch) { body.append("branch", branch); }
    fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": panel.dataset.csrf },
    }).catch(function () { /* the phrase is in the text; a lost count is no reason to bother anyone */ });
  }

  document.querySelectorAll("[data-phrase-panel]").forEach(function (panel) {
    var field = document.getElementById(panel.dataset.target);
    if (!field) { return; }
    var search = panel.querySelector("[data-phrase-search]");
    search.classList.remove("d-none");
    search.addEventListener("input", function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      panel.querySelectorAll("[data-phrase-group]").forEach(function (group) {
        var shown = 0;
        group.querySelectorAll("[data-phrase]").forEach(function (item) {
          var text = item.textContent.toLowerCase();
          var match = words.every(function (word) { return text.indexOf(word) !== -1; });
          item.classList.toggle("d-none", !match);
          if (match) { shown += 1; }
        });
        group.classList.toggle("d-none", shown === 0);
      });
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // never submits the case's form
    });
    panel.querySelectorAll("[data-phrase-insert]").forEach(function (button) {
      button.classList.remove("d-none");
      button.addEventListener("click", function () {
        var text = button.closest("[data-phrase]").querySelector("[data-phrase-text]").textContent;
        insertAt(field, text);
        count(panel, button.dataset.useUrl);
      });
    });
  });
})();
