// What the pages that draw ECharts charts (vendored, no CDN) share: charts resized with the window, data read from
// json_script blocks, a click that opens the list behind a chart element (its data.href), and the district map —
// the outline registered from places/data (echarts.registerMap), areas drawn on it as points sized by one number
// and coloured by a rate. Loaded after echarts.min.js and before the page's own script; no inline script (CSP).
(function () {
  "use strict";
  if (typeof echarts === "undefined") return;

  var charts = [];
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });

  function init(node) {
    var chart = echarts.init(node);
    charts.push(chart);
    return chart;
  }

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // A chart's box showing a sentence instead (nothing to draw, or the data could not be read).
  function empty(node, text) {
    node.classList.add("d-flex", "align-items-center", "justify-content-center", "text-muted", "small");
    node.textContent = text;
  }

  // A click on an element whose data carries `href` opens it (the list behind the element).
  function drillOnClick(chart) {
    chart.on("click", function (p) {
      if (p.data && p.data.href) window.location.href = p.data.href;
    });
  }

  // The base of a map: with an outline, ECharts' geo component over it; without, plain hidden axes (the points by
  // their coordinates). `place` goes into every series drawn on the base.
  function mapBase(outline) {
    var option = { animation: false, tooltip: { trigger: "item", confine: true } };
    if (outline) {
      echarts.registerMap("district", outline);
      option.geo = { map: "district", roam: true, itemStyle: { areaColor: "#f4f6f8", borderColor: "#8a96a3" },
                     emphasis: { disabled: true } };
      return { option: option, place: { coordinateSystem: "geo" } };
    }
    option.xAxis = { type: "value", scale: true, show: false };
    option.yAxis = { type: "value", scale: true, show: false };
    option.grid = { left: 8, right: 8, top: 8, bottom: 8 };
    return { option: option, place: {} };
  }

  // Areas as points on a map base: each {name, value: [lng, lat, rate 0–100, or -1 without one], href, …}, sized
  // by `size(point)` (√ of its share of the largest) and coloured by the rate (red → yellow → blue); those
  // without a rate grey, in a second series the colour scale leaves alone. Returns the series to draw.
  function ratePoints(base, points, spec) {
    var most = Math.max.apply(null, points.map(spec.size).concat([1]));
    var rated = points.filter(function (p) { return p.value[2] >= 0; });
    var unrated = points.filter(function (p) { return p.value[2] < 0; });
    base.option.visualMap = {
      type: "continuous", min: 0, max: 100, dimension: 2, calculable: false, orient: "horizontal", seriesIndex: 0,
      left: "center", bottom: 4, itemHeight: 120, text: ["100%", spec.rateLabel + " 0%"],
      inRange: { color: ["#d94e5d", "#eac736", "#50a3ba"] }
    };
    return [rated, unrated].map(function (data, i) {
      return Object.assign({
        type: "scatter", data: data, itemStyle: i ? { color: "#9aa5b1" } : {},
        symbolSize: function (value, params) { return 10 + 22 * Math.sqrt(spec.size(params.data) / most); },
        // names on the points while they are few; with many, on hover
        label: { show: points.length <= 8, position: "right", formatter: "{b}", fontSize: 11 },
        emphasis: { label: { show: true } },
        tooltip: { formatter: spec.tooltip }
      }, base.place);
    });
  }

  window.civicloopCharts = { init: init, data: data, empty: empty, drillOnClick: drillOnClick, mapBase: mapBase,
                             ratePoints: ratePoints };
})();
