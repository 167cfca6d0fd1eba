// The citizen portal's report form: a point picked on the district map (ECharts, the vendored outline; charts.js)
// or taken from the browser's location, written into the hidden lat/lng fields; at most data-max-photos photos.
// No inline script (CSP): the outline comes from a json_script block.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var lat = document.getElementById("id_lat"), lng = document.getElementById("id_lng");
  var text = document.getElementById("point-text");
  var node = document.getElementById("portal-map");
  var chart = null, place = null;

  function show(lngValue, latValue) {
    lng.value = lngValue.toFixed(6);
    lat.value = latValue.toFixed(6);
    text.textContent = node.getAttribute("data-picked") + " " + lat.value + ", " + lng.value;
    if (chart) {
      chart.setOption({ series: [Object.assign({ type: "scatter", symbolSize: 18, data: [[lngValue, latValue]],
                                                 itemStyle: { color: "#d63384" } }, place)] });
    }
  }

  var charts = window.civicloopCharts;
  var outline = charts ? charts.data("portal-outline") : null;
  if (node && charts && outline) {
    chart = charts.init(node);
    var base = charts.mapBase(outline);
    place = base.place;
    base.option.tooltip = { show: false };
    base.option.series = [Object.assign({ type: "scatter", data: [] }, place)];
    chart.setOption(base.option);
    chart.getZr().on("click", function (e) {
      var point = chart.convertFromPixel({ geoIndex: 0 }, [e.offsetX, e.offsetY]);
      if (point && isFinite(point[0]) && isFinite(point[1])) show(point[0], point[1]);
    });
    if (lat.value && lng.value) show(parseFloat(lng.value), parseFloat(lat.value));
  } else if (node && charts) {
    charts.empty(node, node.getAttribute("data-empty"));
  }

  var locate = document.getElementById("use-location");
  if (locate) {
    if (!navigator.geolocation) locate.hidden = true;
    locate.addEventListener("click", function () {
      text.textContent = node.getAttribute("data-locating");
      navigator.geolocation.getCurrentPosition(function (pos) {
        show(pos.coords.longitude, pos.coords.latitude);
      }, function () {
        text.textContent = node.getAttribute("data-no-location");
      }, { enableHighAccuracy: true, timeout: 10000 });
    });
  }

  var photos = document.getElementById("id_photos");
  var help = document.getElementById("photos-help");
  var most = parseInt(form.getAttribute("data-max-photos"), 10) || 3;
  if (photos) {
    photos.addEventListener("change", function () {
      var over = photos.files.length > most;
      photos.classList.toggle("is-invalid", over);
      if (over) {
        help.textContent = help.getAttribute("data-too-many");
        photos.value = "";
      }
    });
  }
})();
