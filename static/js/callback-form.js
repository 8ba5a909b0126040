// Say when the callback will be due before it is saved: the reason's term counted in the team's hours,
// computed by the server with the very function the clock uses. A time the customer asked for wins.
(function () {
  const preview = document.getElementById("due-preview");
  const reason = document.getElementById("id_reason");
  if (!preview || !reason) return;
  const form = reason.form;
  const wrapper = document.getElementById("div_id_reason");
  if (wrapper) wrapper.after(preview);
  const field = (name) => form.elements.namedItem(name);
  let asked = 0;
  async function update() {
    const start = field("window_start");
    const branch = field("branch");
    if (!reason.value || !branch || !branch.value || (start && start.value)) {
      preview.hidden = true;
      return;
    }
    const query = new URLSearchParams({ branch: branch.value, reason: reason.value });
    const operator = field("assigned_to");
    if (operator && operator.value) query.set("assigned_to", operator.value);
    const mine = ++asked;
    try {
      const response = await fetch(`${preview.dataset.url}?${query}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (mine !== asked) return;
      if (!response.ok) {
        preview.hidden = true;
        return;
      }
      const data = await response.json();
      preview.textContent = data.text;
      preview.hidden = false;
    } catch (error) {
      preview.hidden = true;
    }
  }
  ["branch", "reason", "assigned_to", "window_start"].forEach((name) => {
    const element = field(name);
    if (element) element.addEventListener("change", update);
  });
  update();
})();
