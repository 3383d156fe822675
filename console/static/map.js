// 地图与网点 (console/templates/admin/map.html): Leaflet without online tiles (intranets have none).
// Divisions are drawn from the page's divisions.geojson, points from /api/v1/map/clusters for the visible
// bounds; a point's form loads into the side panel through htmx. Everything is WGS-84, as stored.
// No inline script or style anywhere (CSP): settings come from data attributes.
(function () {
  "use strict";

  var PALETTE = ["#1456c4", "#d4380d", "#389e0d", "#c41d7f", "#d48806", "#08979c", "#531dab", "#7c4a1c",
                 "#595959", "#0050b3", "#a8071a", "#5b8c00"];
  var STATUSES = "open,temporarily_closed,closed";
  var MAX_ZOOM = 20;  // geo/clusters.py

  function init(element) {
    var codes = JSON.parse(element.getAttribute("data-categories"));
    var names = JSON.parse(element.getAttribute("data-category-names"));
    var colours = {};
    codes.forEach(function (code, i) { colours[code] = PALETTE[i % PALETTE.length]; });
    var map = window.L.map(element, { preferCanvas: true, attributionControl: false, maxZoom: MAX_ZOOM,
                                      minZoom: 3, zoomSnap: 0.5 });
    var points = window.L.layerGroup().addTo(map);
    var picked = window.L.layerGroup().addTo(map);
    var panel = document.getElementById("poi-panel");
    var modeText = document.getElementById("map-mode");
    var mode = null;  // "add" or "move": the next click on the map gives a location
    var markers = {};  // single points drawn, by id: a saved point replaces its old marker
    var loading = 0;

    drawLegend(codes, names, colours);

    function colourOf(category) {
      return colours[String(category).split(".")[0]] || "#595959";
    }

    function loadDivisions() {
      return fetch(element.getAttribute("data-divisions"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { type: "FeatureCollection", features: [] }; })
        .then(function (collection) {
          var layer = window.L.geoJSON(collection, {
            style: function (feature) {
              var level = feature.properties.level;
              return { color: level === "district" ? "#163d7a" : level === "street" ? "#4a6fa5" : "#8da2c0",
                       weight: level === "district" ? 3 : level === "street" ? 2 : 1,
                       fillOpacity: level === "district" ? 0.04 : 0, interactive: false };
            },
            onEachFeature: function (feature, shape) {
              var label = feature.properties.name;
              var permanent = feature.properties.level !== "community";
              shape.bindTooltip(label, { permanent: permanent, direction: "center", className: "division-label" });
            }
          }).addTo(map);
          var box = collection.bbox;
          if (box) {
            map.fitBounds([[box[1], box[0]], [box[3], box[2]]], { padding: [12, 12] });
          } else if (layer.getLayers().length) {
            map.fitBounds(layer.getBounds());
          } else {
            map.setView([35, 105], 4);  // nothing imported yet: China
          }
        });
    }

    function loadPoints() {
      var bounds = map.getBounds();
      var clamp = function (value, low, high) { return Math.min(high, Math.max(low, value)); };
      var bbox = [clamp(bounds.getWest(), -180, 180), clamp(bounds.getSouth(), -90, 90),
                  clamp(bounds.getEast(), -180, 180), clamp(bounds.getNorth(), -90, 90)]
        .map(function (v) { return v.toFixed(6); }).join(",");
      var url = element.getAttribute("data-points") + "?bbox=" + bbox + "&zoom=" + Math.min(Math.floor(map.getZoom()), MAX_ZOOM) +
                "&status=" + STATUSES;
      var mine = ++loading;
      fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          if (response.status === 503) { window.setTimeout(loadPoints, 2000); }  // map_warming
          return response.ok ? response.json() : null;
        })
        .then(function (collection) {
          if (!collection || mine !== loading) { return; }  // a later move's answer wins
          points.clearLayers();
          markers = {};
          collection.features.forEach(drawFeature);
          element.setAttribute("data-loaded", String(collection.total));
        });
    }

    function drawFeature(feature) {
      var c = feature.geometry.coordinates, at = [c[1], c[0]], props = feature.properties;
      if (props.cluster) {
        var size = 10 + Math.min(20, 4 * Math.log(props.point_count));
        var group = window.L.circleMarker(at, { radius: size, color: "#fff", weight: 2, fillColor: "#163d7a",
                                                fillOpacity: 0.8 }).addTo(points);
        group.bindTooltip(String(props.point_count), { permanent: true, direction: "center", className: "cluster-label" });
        group.on("click", function (event) {
          if (mode) { pick(event.latlng); } else { map.setView(at, Math.min(props.expansion_zoom, MAX_ZOOM)); }
        });
        return;
      }
      var closed = props.status === "closed";
      var marker = window.L.circleMarker(at, {
        radius: 7, color: closed ? "#8c8c8c" : "#fff", weight: 2, dashArray: closed ? "3" : null,
        fillColor: closed ? "#bfbfbf" : colourOf(props.category),
        fillOpacity: props.status === "temporarily_closed" ? 0.45 : 0.9
      }).addTo(points);
      if (markers[feature.id]) { points.removeLayer(markers[feature.id]); }
      markers[feature.id] = marker;
      marker.bindTooltip(props.name + (closed ? "（已关闭）" : ""));
      marker.on("click", function (event) { if (mode) { pick(event.latlng); } else { openPanel(feature.id); } });
    }

    function openPanel(id) {
      window.htmx.ajax("GET", element.getAttribute("data-panel") + id, { target: "#poi-panel", swap: "innerHTML" });
    }

    function setMode(next, text) {
      mode = next;
      modeText.textContent = text || "";
      element.classList.toggle("picking", Boolean(next));
    }

    // While picking a location, a click on a point or a cluster picks that spot too.
    function pick(latlng) {
      var lon = latlng.lng.toFixed(7), lat = latlng.lat.toFixed(7);
      picked.clearLayers();
      window.L.circleMarker(latlng, { radius: 9, color: "#f0a020", weight: 3, fill: false, interactive: false }).addTo(picked);
      if (mode === "add") {
        window.htmx.ajax("GET", element.getAttribute("data-panel") + "new?lon=" + lon + "&lat=" + lat,
                         { target: "#poi-panel", swap: "innerHTML" });
      } else {
        var form = document.getElementById("poi-move");
        if (form) {
          form.elements.lon.value = lon;
          form.elements.lat.value = lat;
          form.requestSubmit();
        }
      }
      setMode(null);
    }

    map.on("click", function (event) { if (mode) { pick(event.latlng); } });

    document.getElementById("map-add").addEventListener("click", function () {
      setMode("add", "请在地图上点击新网点的位置（Esc 取消）");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && mode) { setMode(null); }
    });
    panel.addEventListener("click", function (event) {
      if (event.target.closest("[data-map-pick]")) { setMode("move", "请在地图上点击网点的新位置（Esc 取消）"); }
    });
    panel.addEventListener("change", function (event) {
      if (event.target.name === "category") { filterSubcategories(panel); }
    });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.target !== panel) { return; }
      panel.scrollTop = 0;  // the answer's message is at the top
      filterSubcategories(panel);
      var focus = document.getElementById("poi-focus");
      if (focus) {  // the point shown in the panel (found by name, say) is brought into view, out of its cluster, and ringed
        var c = JSON.parse(focus.getAttribute("data-coordinates")), at = window.L.latLng(c[1], c[0]);
        if (!map.getBounds().contains(at) || map.getZoom() < 15) { map.setView(at, Math.max(map.getZoom(), 16)); }
        picked.clearLayers();
        window.L.circleMarker(at, { radius: 11, color: "#f0a020", weight: 3, fill: false, interactive: false })
          .addTo(picked);
      }
      var saved = document.getElementById("poi-saved");
      if (saved) {  // a write succeeded: show it now; the next load has it from every worker
        var feature = JSON.parse(saved.getAttribute("data-feature"));
        drawFeature({ id: feature.id, geometry: { coordinates: feature.coordinates },
                      properties: { name: feature.name, category: feature.category, status: feature.status } });
        window.setTimeout(loadPoints, 1500);
      }
    });

    map.on("moveend", loadPoints);
    loadDivisions().then(loadPoints, loadPoints);
  }

  function filterSubcategories(root) {
    var category = root.querySelector("select[name=category]");
    var sub = root.querySelector("select[name=subcategory]");
    if (!category || !sub) { return; }
    Array.prototype.forEach.call(sub.options, function (option) {
      var parent = option.getAttribute("data-parent");
      option.hidden = Boolean(parent) && parent !== category.value;
    });
    if (sub.selectedOptions.length && sub.selectedOptions[0].hidden) { sub.value = ""; }
  }

  function drawLegend(codes, names, colours) {
    var legend = document.getElementById("map-legend");
    codes.forEach(function (code, i) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.backgroundColor = colours[code];  // CSSOM, which the CSP allows (no style attribute in markup)
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(names[i]));
      legend.appendChild(item);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("map");
    if (element && window.L) { init(element); }
  });
})();
