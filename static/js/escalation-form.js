// Ask which operator only for the kinds that concern one.
(function () {
  const about = document.getElementById("about-operator");
  const radios = document.querySelectorAll('input[name="kind"]');
  function update() {
    const chosen = document.querySelector('input[name="kind"]:checked');
    about.hidden = !(chosen && chosen.dataset.namesOperator === "true");
  }
  radios.forEach((radio) => radio.addEventListener("change", update));
  update();
})();
// Ask to whom only when a transfer was tried.
(function () {
  const target = document.getElementById("transfer-to");
  if (!target) return;
  const radios = document.querySelectorAll('input[name="transfer"]');
  function update() {
    const chosen = document.querySelector('input[name="transfer"]:checked');
    target.hidden = !(chosen && chosen.value) && !target.querySelector(".is-invalid");
  }
  radios.forEach((radio) => radio.addEventListener("change", update));
  update();
})();
