// Draws every <canvas data-chart="ID"> from the JSON in <script type="application/json" id="ID">.
// The table beside each chart holds the same numbers; the chart is a picture of it.
(function () {
  "use strict";
  const palette = ["#1f5fa8", "#c2571a", "#2e8540", "#8e3fa0", "#b8860b", "#00838f", "#a0283c", "#5a5a5a", "#6b8e23", "#d2691e"];

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") {
      return;
    }
    const spec = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (series, i) {
          const colour = palette[i % palette.length];
          return { label: series.label, data: series.data, borderColor: colour, backgroundColor: colour, spanGaps: false, tension: 0.2 };
        })
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: { y: { beginAtZero: true, title: { display: true, text: spec.yAxis } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
