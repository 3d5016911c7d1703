/* Organizer pages: the print button of the join cards, and the pre-vote's live results
   (polled from a JSON endpoint every five seconds; the chart and the table update in place). */
(function () {
  "use strict";
  const POLL_MS = 5000;

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  const box = document.getElementById("vote-results");
  if (!box) { return; }
  const rows = Array.from(box.querySelectorAll("tr[data-point]"));
  let chart = null;

  function counts() {
    return rows.map(function (row) { return Number(row.querySelector(".votes").textContent) || 0; });
  }

  function drawChart() {
    const canvas = document.getElementById("vote-chart");
    if (!canvas || !window.Chart) { return; }
    chart = new window.Chart(canvas, {
      type: "bar",
      data: { labels: rows.map(function (row) { return row.dataset.label; }),
              datasets: [{ label: box.dataset.label, data: counts(), backgroundColor: "#0b5a8a" }] },
      options: { indexAxis: "y", animation: false, maintainAspectRatio: false,
                 plugins: { legend: { display: false } },
                 scales: { x: { beginAtZero: true, ticks: { precision: 0, color: "#1a1a1a" } },
                           y: { ticks: { color: "#1a1a1a" } } } },
    });
  }

  function showWishes(wishes) {
    const list = document.getElementById("vote-wishes");
    if (!list || !wishes.length) { return; }
    list.replaceChildren.apply(list, wishes.map(function (wish) { return Dialogcafe.el("li", null, wish); }));
  }

  function apply(result) {
    const byNumber = {};
    result.points.forEach(function (p) { byNumber[p.number] = p.votes; });
    rows.forEach(function (row) {
      row.querySelector(".votes").textContent = String(byNumber[row.dataset.point] || 0);
    });
    document.getElementById("vote-ballots").textContent = String(result.ballots);
    showWishes(result.wishes);
    if (chart) { chart.data.datasets[0].data = counts(); chart.update("none"); }
  }

  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body) { apply(body.vote); } })
      .catch(function () { /* try again at the next tick */ })
      .finally(function () { window.setTimeout(poll, POLL_MS); });
  }

  drawChart();
  window.setTimeout(poll, POLL_MS);
})();
