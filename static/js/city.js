/* The city view's charts: data from the JSON endpoint, drawn with Chart.js (no inline scripts). */
(function () {
  "use strict";
  const url = document.body.dataset.cityUrl;
  if (!url || !window.Chart) { return; }
  const animation = window.Dialogcafe.reducedMotion() ? false : {};
  const colours = ["#4a4a4a", "#0b5a8a", "#8a4b00", "#1d6b2f", "#8a8a8a", "#6b2a7a"];

  function pointsChart(data) {
    const totals = {};
    data.points.forEach(function (r) { totals[r.point] = (totals[r.point] || 0) + r.notes; });
    const points = Object.keys(totals).sort(function (a, b) { return totals[b] - totals[a]; });
    new Chart(document.getElementById("points-chart"), {
      type: "bar",
      data: { labels: points.map(function (p) { return p + ". " + (data.point_titles[p] || ""); }),
              datasets: [{ label: document.body.dataset.notesLabel, data: points.map(function (p) { return totals[p]; }),
                           backgroundColor: "#0b5a8a" }] },
      options: { indexAxis: "y", maintainAspectRatio: false, animation: animation, plugins: { legend: { display: false } } }
    });
  }

  function progressChart(data) {
    const keys = Object.keys(data.status_labels);
    new Chart(document.getElementById("progress-chart"), {
      type: "bar",
      data: { labels: data.progress.map(function (p) { return p.title; }),
              datasets: keys.map(function (key, i) {
                return { label: data.status_labels[key], backgroundColor: colours[i % colours.length],
                         data: data.progress.map(function (p) { return p.statuses[key]; }) };
              }) },
      options: { maintainAspectRatio: false, animation: animation, scales: { x: { stacked: true }, y: { stacked: true } } }
    });
  }

  fetch(url, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) { pointsChart(data); progressChart(data); document.body.dataset.chartsReady = "true"; })
    .catch(function () { document.body.dataset.chartsReady = "failed"; });
})();
