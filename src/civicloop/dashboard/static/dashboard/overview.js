// The overview's charts (ECharts, vendored; the shared parts in static/civicloop/charts.js), fed by the documented
// endpoints GET /api/dashboard/overview and /api/dashboard/map with the page's period and filters: their answers
// come embedded in the page (#dashboard-chart-data — the figures are computed once per page view); without it
// the script asks the endpoints (#charts holds their URLs). Every bar, trend point and map point carries its figure's `drill`: a click opens the list behind
// it (/dashboard/cases/), whose count is the figure's. The tables beside the charts hold the same figures.
(function () {
  "use strict";
  var C = window.civicloopCharts;
  var root = document.getElementById("charts");
  if (!C || !root) return;
  var W = C.data("dashboard-chart-words");

  function href(figure) { return root.dataset.drill + "?" + figure.drill; }
  function node(id) { return document.getElementById(id); }
  var EMBEDDED = C.data("dashboard-chart-data") || {};
  function get(url, key) {
    if (EMBEDDED[key]) return Promise.resolve(EMBEDDED[key]);
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
  }
  // The charts left unread say so (their tables stay); the reason goes to the console.
  function failed(ids) {
    return function (reason) {
      ids.forEach(function (id) { if (node(id) && !node(id).querySelector("canvas")) C.empty(node(id), W.failed); });
      if (window.console) console.error("dashboard charts:", reason);
    };
  }
  function percent(v) { return (v * 100).toFixed(2) + "%"; }

  // A horizontal bar chart of rows, the first on top: {name, value, href, tip}; its height follows the rows.
  function bars(id, rows, format) {
    var box = node(id);
    if (!box) return;
    if (!rows.length) { C.empty(box, W.no_data); return; }
    box.style.height = Math.max(160, 48 + 26 * rows.length) + "px";
    var chart = C.init(box);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", confine: true, formatter: function (p) { return p.name + "<br>" + p.data.tip; } },
      grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", show: false },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }),
               axisLabel: { width: 120, overflow: "truncate" } },
      series: [{ type: "bar", data: rows, cursor: "pointer", barMaxWidth: 18,
                 label: { show: true, position: "right", formatter: function (p) { return format(p.data); } } }]
    });
    C.drillOnClick(chart);
  }

  // ----- trend: intake, resolved and red per day, each point a list
  function trend(days) {
    var chart = C.init(node("trend-chart"));
    var series = [["intake", "#3b7dd8"], ["resolved", "#50a37a"], ["red", "#d94e5d"]].map(function (s) {
      return { name: W[s[0]], type: "line", symbolSize: 7, itemStyle: { color: s[1] }, lineStyle: { color: s[1] },
               data: days.map(function (d) { return { value: d[s[0]].count, href: href(d[s[0]]) }; }) };
    });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 28 },
      xAxis: { type: "category", data: days.map(function (d) { return d.day.slice(5); }) },
      yAxis: { type: "value", minInterval: 1 },
      series: series
    });
    C.drillOnClick(chart);
  }

  // ----- rankings by the chosen KPI (the page's `rank`; the tables are ordered the same way on the server)
  function ranking(id, rows) {
    var at = Object.keys(W.ranking).indexOf(W.rank), kind = W.kinds[W.rank];
    var sorted = rows.slice().sort(function (a, b) {
      var x = a.kpis[at].value, y = b.kpis[at].value;
      if ((x === null) !== (y === null)) return x === null ? 1 : -1;
      return (y || 0) - (x || 0) || (b.kpis[0].value || 0) - (a.kpis[0].value || 0) || a.id - b.id;
    });
    bars(id, sorted.map(function (r) {
      var k = r.kpis[at];
      var tip = W.ranking[W.rank] + " " + (k.value === null ? "—" : kind === "rate" ? percent(k.value) : k.value);
      if (k.denominator) tip += " (" + k.numerator.count + "/" + k.denominator.count + " " + W.unit_cases + ")";
      return { name: r.name, value: k.value === null ? 0 : kind === "rate" ? +(k.value * 100).toFixed(2) : k.value,
               shown: k.value === null ? "—" : kind === "rate" ? percent(k.value) : String(k.value),
               href: href(k.numerator), tip: tip };
    }), function (d) { return d.shown; });
  }

  get(root.dataset.overview, "overview").then(function (o) {
    trend(o.trend);
    ranking("streets-chart", o.streets);
    ranking("departments-chart", o.departments);
    bars("categories-chart", o.categories.map(function (c) {
      return { name: c.name, value: c.intake.count, href: href(c.intake), tip: W.intake + " " + c.intake.count };
    }), function (d) { return d.value; });
    bars("disputes-chart", o.disputes.map(function (d) {
      return { name: d.unit + " · " + (d.category || "—"), value: d.cases.count, href: href(d.cases),
               tip: W.cases + " " + d.cases.count + "，" + W.returns + " " + d.returns };
    }), function (d) { return d.value; });
  }).catch(failed(["trend-chart", "streets-chart", "departments-chart", "categories-chart", "disputes-chart"]));

  // ----- map: the district outline, each street at its centre sized by its open cases (a click lists them) and
  // coloured by its on-time rate (grey: none resolved in the period)
  get(root.dataset.map, "map").then(function (m) {
    var box = node("map-chart");
    var points = m.streets.filter(function (s) { return s.lat !== null && s.lng !== null; }).map(function (s) {
      var rate = s.on_time_rate;
      return { name: s.name, value: [s.lng, s.lat, rate.value === null ? -1 : Math.round(rate.value * 100)],
               open: s.open.count, href: href(s.open),
               rate: rate.value === null ? "—" : percent(rate.value) + " (" + rate.numerator.count + "/" +
                     rate.denominator.count + ")" };
    });
    if (!points.length) { C.empty(box, W.no_position); return; }
    var chart = C.init(box);
    var base = C.mapBase(m.outline);
    base.option.series = C.ratePoints(base, points, {
      rateLabel: W.on_time_rate,
      size: function (p) { return p.open; },
      tooltip: function (p) {
        return p.name + "<br>" + W.open + " " + p.data.open + " " + W.unit_cases + "<br>" + W.on_time_rate + " " + p.data.rate;
      }
    });
    chart.setOption(base.option);
    C.drillOnClick(chart);
  }).catch(failed(["map-chart"]));
})();
