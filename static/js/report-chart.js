// Draws a report's chart from the JSON the page carries in #report-data (see dashboard.reports.base.Chart).
(function () {
  "use strict";
  const source = document.getElementById("report-data");
  const canvas = document.getElementById("report-chart");
  if (!source || !canvas) {
    return;
  }
  const spec = JSON.parse(source.textContent);
  const valueAxis = {stacked: spec.stacked, beginAtZero: true, title: {display: Boolean(spec.unit), text: spec.unit}};
  if (spec.whole_numbers) {
    valueAxis.ticks = {precision: 0};
  }
  if (spec.max !== null) {
    valueAxis.max = spec.max;
  }
  const categoryAxis = {stacked: spec.stacked};
  new Chart(canvas, {
    type: "bar",
    data: {labels: spec.labels, datasets: spec.datasets},
    options: {
      indexAxis: spec.horizontal ? "y" : "x",
      responsive: true,
      animation: false,
      scales: spec.horizontal ? {x: valueAxis, y: categoryAxis} : {x: categoryAxis, y: valueAxis},
    },
  });
})();
