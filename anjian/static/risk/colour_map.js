/* The four-colour risk map (issue 9 item 5). Towns (and a chosen town's villages, where outlines exist) are filled
   with their colour; enterprises with coordinates are coloured points. Points come from the server for the visible
   box and the chosen town only, at most a few thousand, reds and oranges first: never a whole city of markers. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("colour-map-config").textContent);
  var statusElement = document.getElementById("colour-map-status");
  var DONGGUAN = [23.02, 113.75];

  var map = L.map("colour-map", { center: DONGGUAN, zoom: 10, minZoom: 8, maxZoom: 18, preferCanvas: true });
  var pointsPane = map.createPane("riskPoints");
  pointsPane.style.zIndex = 450;
  // The points' canvas covers the whole map: it must not swallow clicks meant for the areas below. A click finds
  // the nearest drawn point itself (pointAt), on an area or anywhere on the map.
  pointsPane.style.pointerEvents = "none";
  var HIT_RADIUS = 8;
  var shownPoints = [];
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 18 }).addTo(map);
  }
  var renderer = L.canvas({ pane: "riskPoints" });
  // Areas in SVG (a few dozen shapes: each its own element, clickable and testable), points on the canvas.
  var areaRenderer = L.svg();
  var pointsLayer = L.layerGroup().addTo(map);

  function toggleLabels() {
    map.getContainer().classList.toggle("anjian-labels-hidden", map.getZoom() < 10);
  }
  map.on("zoomend", toggleLabels);
  toggleLabels();

  function setStatus(text) { statusElement.textContent = text; }
  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (whole, key) {
      return values[key] === undefined ? whole : String(values[key]);
    });
  }

  function regionContent(properties) {
    var wrapper = document.createElement("div");
    var name = document.createElement("div");
    name.className = "fw-semibold";
    name.textContent = properties.name + (properties.colour ? " · " + config.labels[properties.colour] : "");
    wrapper.appendChild(name);
    if (properties.colour !== undefined && properties.colour !== null) {
      var counts = document.createElement("div");
      counts.className = "small";
      counts.textContent = properties.colour ? format(config.text.enterprises, properties) : config.text.none;
      wrapper.appendChild(counts);
      if (properties.reason) {
        var reason = document.createElement("div");
        reason.className = "small text-secondary";
        reason.textContent = properties.reason;
        wrapper.appendChild(reason);
      }
    }
    if (properties.kind === "town") {
      var link = document.createElement("a");
      link.href = config.rankingUrl + "?region=" + encodeURIComponent(properties.code) + "&level=village";
      link.textContent = config.text.villages;
      wrapper.appendChild(link);
    }
    if (properties.approximate) {
      var note = document.createElement("div");
      note.className = "text-secondary small";
      note.textContent = config.text.approximate;
      wrapper.appendChild(note);
    }
    return wrapper;
  }

  function pointContent(point) {
    var wrapper = document.createElement("div");
    var link = document.createElement("a");
    link.href = config.detailUrl.replace(config.detailPlaceholder, String(point[2]));
    link.textContent = point[3];
    wrapper.appendChild(link);
    var colour = document.createElement("div");
    colour.className = "small";
    colour.textContent = config.labels[point[4]];
    wrapper.appendChild(colour);
    return wrapper;
  }

  function pointAt(containerPoint) {
    var best = null;
    var bestDistance = HIT_RADIUS * HIT_RADIUS;
    shownPoints.forEach(function (point) {
      var at = map.latLngToContainerPoint([point[0], point[1]]);
      var distance = (at.x - containerPoint.x) * (at.x - containerPoint.x) + (at.y - containerPoint.y) * (at.y - containerPoint.y);
      // Ties go to the first answered, the worst colour (reds come first).
      if (distance < bestDistance) { best = point; bestDistance = distance; }
    });
    return best;
  }
  function openPoint(point) {
    L.popup().setLatLng([point[0], point[1]]).setContent(pointContent(point)).openOn(map);
  }
  map.on("click", function (event) {
    if (event.originalEvent && event.originalEvent.anjianHandled) { return; }
    var point = pointAt(event.containerPoint);
    if (point) { openPoint(point); }
  });

  var chosenBounds = null;
  function loadRegions() {
    var query = config.region ? "?region=" + encodeURIComponent(config.region) : "";
    return fetch(config.regionsUrl + query, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { features: [] }; })
      .then(function (collection) {
        var areas = collection.features.filter(function (f) { return f.properties.kind !== "label"; });
        var labels = collection.features.filter(function (f) { return f.properties.kind === "label"; });
        // Villages after towns, so a chosen town's villages lie on top of it.
        areas.sort(function (a, b) { return a.properties.kind === b.properties.kind ? 0 : a.properties.kind === "town" ? -1 : 1; });
        var layer = L.geoJSON(areas, {
          renderer: areaRenderer,
          style: function (feature) {
            var p = feature.properties;
            var chosen = config.region && p.code === config.region;
            return {
              color: chosen ? "#1d273b" : (p.approximate ? "#7a8794" : "#495057"),
              weight: chosen ? 2.5 : (p.kind === "village" ? 0.8 : 1.2),
              dashArray: p.approximate ? "4 4" : null,
              fill: true, fillColor: config.colours[p.colour || ""], fillOpacity: p.colour ? 0.35 : 0.08
            };
          },
          onEachFeature: function (feature, item) {
            item.on("click", function (event) {
              event.originalEvent.anjianHandled = true;
              var point = pointAt(event.containerPoint);
              if (point) { openPoint(point); return; }
              L.popup().setLatLng(event.latlng).setContent(regionContent(feature.properties)).openOn(map);
            });
            if (config.region && feature.properties.code === config.region) { chosenBounds = item.getBounds(); }
          }
        }).addTo(map);
        labels.forEach(function (feature) { window.anjianTownLabel(feature, "anjian-town-label").addTo(map); });
        var bounds = chosenBounds || (areas.length ? layer.getBounds() : null);
        if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10] }); }
      })
      .catch(function () { /* The points still show without the background. */ });
  }

  var request = 0;
  function loadPoints() {
    var bounds = map.getBounds();
    var params = new URLSearchParams();
    params.set("bbox", [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
      .map(function (value) { return Math.max(-180, Math.min(180, value)).toFixed(5); }).join(","));
    if (config.region) { params.set("region", config.region); }
    var mine = ++request;
    setStatus(config.text.loading);
    fetch(config.pointsUrl + "?" + params.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json().then(function (body) { return { ok: response.ok, body: body }; }); })
      .then(function (result) {
        if (mine !== request) { return; }
        if (!result.ok) { setStatus(config.text.error + (result.body.message || "")); return; }
        pointsLayer.clearLayers();
        shownPoints = result.body.points;
        var radius = map.getZoom() >= 14 ? 6 : map.getZoom() >= 12 ? 4 : 3;
        // Answered reds first; drawn last so they lie on top.
        result.body.points.slice().reverse().forEach(function (point) {
          var marker = L.circleMarker([point[0], point[1]], {
            renderer: renderer, interactive: false, radius: point[4] === "red" ? radius + 2 : radius, weight: 1,
            color: "#ffffff", fillColor: config.colours[point[4]], fillOpacity: 0.9
          });
          pointsLayer.addLayer(marker);
        });
        var text = format(config.text.count, { count: result.body.count.toLocaleString() });
        if (result.body.truncated) { text += format(config.text.truncated, { count: result.body.limit.toLocaleString() }); }
        setStatus(text);
      })
      .catch(function (error) { if (mine === request) { setStatus(config.text.error + error); } });
  }

  var timer = null;
  map.on("moveend", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(loadPoints, 250);
  });
  document.getElementById("colour-map-region").addEventListener("change", function (event) {
    event.target.form.submit();
  });
  loadRegions().then(loadPoints);
})();
