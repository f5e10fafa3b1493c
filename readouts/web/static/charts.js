// Charts drawn with the vendored Observable Plot from the same JSON the API gives (data-api on each box):
// events per month by type (a person's, a pair of countries'), and the country × country matrix.
// Names and labels from documents go into SVG text nodes by Plot, never into HTML.
"use strict";

(function () {
  const drawn = (window.readoutsCharts = {});

  function monthly(events) {
    // One row per (month, type) with its number of events; undated events have no place on a time axis.
    const counts = new Map();
    for (const e of events) {
      if (!e.date) continue;
      const key = e.date.slice(0, 7) + "|" + e.type;
      counts.set(key, (counts.get(key) || 0) + 1);
    }
    return [...counts].map(([key, n]) => {
      const [month, type] = key.split("|");
      return { month, type, n, start: new Date(month + "-01T00:00:00Z") };
    }).sort((a, b) => (a.month + a.type < b.month + b.type ? -1 : 1));
  }

  function maxStack(rows) {
    const perMonth = new Map();
    for (const r of rows) perMonth.set(r.month, (perMonth.get(r.month) || 0) + r.n);
    return Math.max(1, ...perMonth.values());
  }

  function padded(rows) {
    // A month either side, so that one month of events is a bar, not the whole width.
    const starts = rows.map((r) => r.start.getTime());
    const first = new Date(Math.min(...starts)), last = new Date(Math.max(...starts));
    return [new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() - 1, 1)),
            new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 2, 1))];
  }

  function width(box) {
    return Math.max(280, Math.min(box.clientWidth || 640, 900));
  }

  function perMonth(box, events) {
    const rows = monthly(events);
    drawn[box.id] = rows;
    if (!rows.length) {
      box.textContent = "No dated event to chart.";
      return;
    }
    return Plot.plot({
      width: width(box), height: 220, ariaLabel: box.dataset.label, marginLeft: 36,
      x: { type: "utc", label: "month", domain: padded(rows) },
      y: { grid: true, label: "events", tickFormat: "d", ticks: Math.min(5, maxStack(rows)) },
      color: { legend: true, domain: ["call", "meeting", "visit", "signing", "statement", "other"],
               range: ["#2f7d5b", "#1f5fa8", "#8a4fb3", "#b5651d", "#6b7a90", "#999999"] },
      marks: [Plot.rectY(rows, { x: "start", interval: "month", y: "n", fill: "type", title: (d) => `${d.month} ${d.type}: ${d.n}` }),
              Plot.ruleY([0])],
    });
  }

  function matrix(box, data) {
    drawn[box.id] = data.cells;
    if (!data.cells.length) {
      box.textContent = "No event with two countries in this period.";
      return;
    }
    const both = data.cells.flatMap((c) => [c, { a: c.b, b: c.a, n_events: c.n_events }]);
    const most = Math.max(...data.cells.map((c) => c.n_events));
    return Plot.plot({
      width: Math.max(280, Math.min(box.clientWidth || 640, 40 + 28 * data.countries.length)),
      height: 40 + 28 * data.countries.length, ariaLabel: box.dataset.label, marginLeft: 44, marginBottom: 44,
      padding: 0.05, x: { domain: data.countries, label: null, tickRotate: -90 },
      y: { domain: data.countries, label: null }, color: { scheme: "blues", domain: [0, most], legend: true, label: "events" },
      marks: [Plot.cell(both, { x: "a", y: "b", fill: "n_events", title: (d) => `${d.a} – ${d.b}: ${d.n_events}` }),
              Plot.text(both.filter((d) => d.n_events > most / 2), { x: "a", y: "b", text: "n_events", fill: "white" }),
              Plot.text(both.filter((d) => d.n_events <= most / 2), { x: "a", y: "b", text: "n_events", fill: "black" })],
    });
  }

  const kinds = { "per-month": perMonth, matrix };

  async function draw(box) {
    const resp = await fetch(box.dataset.api);
    if (!resp.ok) {
      box.textContent = "Could not load the chart's data (" + resp.status + ").";
      return;
    }
    const svg = kinds[box.dataset.chart](box, await resp.json());
    if (svg) {
      // Plot labels its groups with aria-label; a <g> may carry one only with a role.
      for (const g of svg.querySelectorAll("g[aria-label]")) g.setAttribute("role", "group");
      box.replaceChildren(svg);
    }
    box.dataset.drawn = String(drawn[box.id].length);
  }

  for (const box of document.querySelectorAll(".chart[data-api]")) draw(box);
})();
