// Who the typed number belongs to, and how many photos are chosen: hints only, the form works without them.
(function () {
  var form = document.querySelector("form[data-complaint-form]");
  if (!form) return;
  var phone = document.getElementById(form.dataset.phoneField);
  if (phone && window.htmx) {
    phone.setAttribute("hx-get", form.dataset.customerLookup);
    phone.setAttribute("hx-trigger", "keyup changed delay:400ms, change");
    phone.setAttribute("hx-target", "#customer-lookup");
    phone.setAttribute("hx-include", "[name=branch]");
    htmx.process(phone);
  }
  var chosen = document.getElementById("pages-chosen");
  document.querySelectorAll("input[name=pages]").forEach(function (input) {
    input.addEventListener("change", function () {
      var names = [];
      document.querySelectorAll("input[name=pages]").forEach(function (each) {
        Array.prototype.forEach.call(each.files, function (file) { names.push(file.name); });
      });
      if (chosen) chosen.textContent = names.join(", ");
    });
  });
})();
