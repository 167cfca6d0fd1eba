// The coverage page's two charts (ECharts, vendored): progress over time and the district map (the shared map
// code: static/civicloop/charts.js). Data comes from the page's json_script blocks (no inline script: the
// Content-Security-Policy forbids it).
(function () {
  "use strict";
  var C = window.civicloopCharts;
  if (!C) return;

  // ----- progress: subjects visited so far (line), first visits and visits per day (bars), the target (dashed)
  var progress = C.data("coverage-chart-data");
  var progressNode = document.getElementById("progress-chart");
  if (progress && progressNode) {
    var chart = C.init(progressNode);
    var L = progress.labels;
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 56, right: 48, top: 36, bottom: 56 },
      dataZoom: [{ type: "inside" }, { type: "slider", height: 16, bottom: 8 }],
      xAxis: { type: "category", data: progress.days },
      // left: subjects visited so far, with the target line in sight even far above them; right: per day
      yAxis: [{ type: "value", minInterval: 1, max: function (v) { return Math.max(v.max, progress.target); } },
              { type: "value", minInterval: 1, splitLine: { show: false } }],
      series: [
        { name: L.visited, type: "line", data: progress.visited, showSymbol: false,
          markLine: { symbol: "none", lineStyle: { type: "dashed" }, label: { position: "insideEndTop", formatter: L.target + " {c}" },
                      data: [{ yAxis: progress.target }] } },
        { name: L.first_visits, type: "bar", yAxisIndex: 1, data: progress.first_visits },
        { name: L.visits, type: "bar", yAxisIndex: 1, data: progress.visits }
      ]
    });
  }

  // ----- map: the district outline, streets or communities coloured by their coverage rate — a click drills
  // down — or a community's subjects as points
  var map = C.data("coverage-map-data");
  var mapNode = document.getElementById("coverage-map");
  if (!map || !mapNode) return;
  var M = map.labels;
  if (!map.areas.length && !map.subjects.length) {
    C.empty(mapNode, M.no_position);
    return;
  }
  var mapChart = C.init(mapNode);
  var base = C.mapBase(map.outline);
  var option = base.option;
  var series = [];
  if (map.areas.length) {
    series = C.ratePoints(base, map.areas, {
      rateLabel: M.rate,
      size: function (a) { return a.subjects; },
      tooltip: function (p) {
        return p.name + "<br>" + M.rate + " " + p.value[2] + "%（" + p.data.visited + "/" + p.data.subjects + "）";
      }
    });
    C.drillOnClick(mapChart);
  } else {
    var states = [["visited", "#50a3ba"], ["key", "#d94e5d"], ["other", "#9aa5b1"]];
    option.legend = { bottom: 4 };
    states.forEach(function (s) {
      series.push(Object.assign({
        name: M[s[0]], type: "scatter", symbolSize: 6, itemStyle: { color: s[1] },
        data: map.subjects.filter(function (p) { return p[2] === s[0]; }).map(function (p) { return [p[0], p[1]]; }),
        tooltip: { formatter: function (p) { return p.seriesName; } }
      }, base.place));
    });
    if (option.geo) {
      // zoom the outline to the community's points
      var xs = map.subjects.map(function (p) { return p[0]; }), ys = map.subjects.map(function (p) { return p[1]; });
      option.geo.center = [(Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2,
                           (Math.min.apply(null, ys) + Math.max.apply(null, ys)) / 2];
      option.geo.zoom = 8;
    }
  }
  option.series = series;
  mapChart.setOption(option);
})();
