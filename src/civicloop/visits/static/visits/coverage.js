// The coverage page's two charts (ECharts, vendored): progress over time and the district map. Data comes from
// the page's json_script blocks (no inline script: the Content-Security-Policy forbids it).
(function () {
  "use strict";
  if (typeof echarts === "undefined") return;

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var charts = [];
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });

  // ----- progress: subjects visited so far (line), first visits and visits per day (bars), the target (dashed)
  var progress = data("coverage-chart-data");
  var progressNode = document.getElementById("progress-chart");
  if (progress && progressNode) {
    var chart = echarts.init(progressNode);
    charts.push(chart);
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

  // ----- map: the district outline (echarts.registerMap, from places/data), streets or communities coloured by
  // their coverage rate — a click drills down — or a community's subjects as points
  var map = data("coverage-map-data");
  var mapNode = document.getElementById("coverage-map");
  if (!map || !mapNode) return;
  var M = map.labels;
  if (!map.areas.length && !map.subjects.length) {
    mapNode.classList.add("d-flex", "align-items-center", "justify-content-center", "text-muted");
    mapNode.textContent = M.no_position;
    return;
  }
  var mapChart = echarts.init(mapNode);
  charts.push(mapChart);
  var onGeo = Boolean(map.outline);
  if (onGeo) echarts.registerMap("district", map.outline);
  var place = onGeo ? { coordinateSystem: "geo" } : {};
  var series = [];
  var option = { animation: false, tooltip: { trigger: "item" } };
  if (onGeo) {
    option.geo = { map: "district", roam: true, itemStyle: { areaColor: "#f4f6f8", borderColor: "#8a96a3" },
                   emphasis: { disabled: true } };
  } else {
    option.xAxis = { type: "value", scale: true, show: false };
    option.yAxis = { type: "value", scale: true, show: false };
    option.grid = { left: 8, right: 8, top: 8, bottom: 8 };
  }
  if (map.areas.length) {
    var most = Math.max.apply(null, map.areas.map(function (a) { return a.subjects; })) || 1;
    option.visualMap = { type: "continuous", min: 0, max: 100, dimension: 2, calculable: false, orient: "horizontal",
                         left: "center", bottom: 4, itemHeight: 120, text: ["100%", M.rate + " 0%"],
                         inRange: { color: ["#d94e5d", "#eac736", "#50a3ba"] } };
    series.push(Object.assign({
      type: "scatter", data: map.areas,
      symbolSize: function (value, params) { return 10 + 22 * Math.sqrt(params.data.subjects / most); },
      // names on the points while they are few; with many, on hover
      label: { show: map.areas.length <= 8, position: "right", formatter: "{b}", fontSize: 11 },
      emphasis: { label: { show: true } },
      tooltip: { formatter: function (p) {
        return p.name + "<br>" + M.rate + " " + p.value[2] + "%（" + p.data.visited + "/" + p.data.subjects + "）";
      } }
    }, place));
    mapChart.on("click", function (p) {
      if (p.data && p.data.href) window.location.href = p.data.href;
    });
  } else {
    var states = [["visited", "#50a3ba"], ["key", "#d94e5d"], ["other", "#9aa5b1"]];
    option.legend = { bottom: 4 };
    states.forEach(function (s) {
      series.push(Object.assign({
        name: M[s[0]], type: "scatter", symbolSize: 6, itemStyle: { color: s[1] },
        data: map.subjects.filter(function (p) { return p[2] === s[0]; }).map(function (p) { return [p[0], p[1]]; }),
        tooltip: { formatter: function (p) { return p.seriesName; } }
      }, place));
    });
    if (onGeo) {
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
