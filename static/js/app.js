// Behaviour every page may use, declared in the markup (the Content-Security-Policy allows no inline script).
(function () {
  // <select data-autosubmit>: choosing sends its form (the language switch).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // <button data-print>: prints the page.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
