// A place's 30-day hourly history (ECharts, vendored): mean with the low–high band, from the page's json_script
// (no inline script: the Content-Security-Policy forbids it).
(function () {
  "use strict";
  var C = window.civicloopCharts;
  var data = C && C.data("signs-chart-data");
  var node = document.getElementById("signs-chart");
  if (!data || !node) return;
  var L = data.labels;
  if (!data.hours.length) { C.empty(node, L.empty); return; }
  var chart = C.init(node);
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 56 },
    dataZoom: [{ type: "inside" }, { type: "slider", height: 16, bottom: 8 }],
    xAxis: { type: "category", data: data.hours },
    yAxis: { type: "value", name: data.unit },
    series: [
      { name: L.mean, type: "line", data: data.mean, showSymbol: false,
        markLine: data.normal_max === null ? undefined : { symbol: "none", lineStyle: { type: "dashed" }, data: [{ yAxis: data.normal_max }] } },
      { name: L.low, type: "line", data: data.low, showSymbol: false, lineStyle: { opacity: 0.4 } },
      { name: L.high, type: "line", data: data.high, showSymbol: false, lineStyle: { opacity: 0.4 } }
    ]
  });
})();
