/* Enterprise map (Leaflet). Points come from map_points as [lat, lng, id, name, major_hazard] rows.

   A city has up to 200,000 enterprises: one Leaflet object per point would take seconds to build and to
   redraw, so the points are drawn by one canvas layer that projects plain arrays, and a click looks up the
   nearest drawn point. Without a tile URL the background is plain, with the city outline and town labels. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var form = document.getElementById("map-filter");
  var statusElement = document.getElementById("map-status");
  var DONGGUAN = [23.02, 113.75];
  var HIT_RADIUS = 7;

  var map = L.map("enterprise-map", { center: DONGGUAN, zoom: 10, minZoom: 8, maxZoom: 18, preferCanvas: true });
  // Points sit above the outline (overlay pane, 400) and below the town labels and popups (marker pane, 600).
  map.createPane("anjianPoints").style.zIndex = 450;
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 18 }).addTo(map);
  }

  var PointsLayer = L.Layer.extend({
    initialize: function () {
      this._points = [];
      this._base = new Float64Array(0);
      this._screen = new Float32Array(0);
      this._drawn = new Int32Array(0);
      this._drawnCount = 0;
    },
    setPoints: function (points) {
      this._points = points;
      // Projected once at zoom 0; a Web Mercator projection at zoom z is that times 2^z, so redraws only scale.
      this._base = new Float64Array(points.length * 2);
      for (var i = 0; i < points.length; i++) {
        var projected = this._map.project([points[i][0], points[i][1]], 0);
        this._base[2 * i] = projected.x;
        this._base[2 * i + 1] = projected.y;
      }
      this._screen = new Float32Array(points.length * 2);
      this._drawn = new Int32Array(points.length);
      if (this._map) { this._redraw(); }
    },
    onAdd: function (map) {
      this._canvas = L.DomUtil.create("canvas", "leaflet-zoom-hide");
      this._canvas.style.position = "absolute";
      map.getPane("anjianPoints").appendChild(this._canvas);
      map.on("moveend zoomend resize", this._redraw, this);
      this._redraw();
    },
    onRemove: function (map) {
      map.off("moveend zoomend resize", this._redraw, this);
      L.DomUtil.remove(this._canvas);
    },
    _redraw: function () {
      var map = this._map;
      var size = map.getSize();
      var ratio = window.devicePixelRatio || 1;
      var canvas = this._canvas;
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
      canvas.width = size.x * ratio;
      canvas.height = size.y * ratio;
      canvas.style.width = size.x + "px";
      canvas.style.height = size.y + "px";
      var context = canvas.getContext("2d");
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.clearRect(0, 0, size.x, size.y);
      var zoom = map.getZoom();
      var radius = zoom >= 15 ? 4 : zoom >= 12 ? 3 : 2;
      var scale = map.getZoomScale(zoom, 0);
      var origin = map.getPixelOrigin();
      var offset = map.layerPointToContainerPoint([0, 0]);
      var base = this._base;
      var points = this._points;
      var screen = this._screen;
      var drawn = this._drawn;
      var count = 0;
      var majors = [];
      context.fillStyle = "rgba(32, 107, 196, 0.75)";
      for (var i = 0; i < points.length; i++) {
        var x = base[2 * i] * scale - origin.x + offset.x;
        var y = base[2 * i + 1] * scale - origin.y + offset.y;
        screen[2 * i] = x;
        screen[2 * i + 1] = y;
        if (x < -radius || y < -radius || x > size.x + radius || y > size.y + radius) { continue; }
        drawn[count++] = i;
        if (points[i][4]) { majors.push(i); continue; }
        context.fillRect(x - radius, y - radius, radius * 2, radius * 2);
      }
      // Major-hazard sites are drawn last, larger and red, so they are never hidden under ordinary points.
      context.fillStyle = "#d63939";
      context.strokeStyle = "#ffffff";
      majors.forEach(function (index) {
        context.beginPath();
        context.arc(screen[2 * index], screen[2 * index + 1], radius + 2, 0, Math.PI * 2);
        context.fill();
        context.stroke();
      });
      this._drawnCount = count;
    },
    nearest: function (containerPoint) {
      var best = -1;
      var bestDistance = HIT_RADIUS * HIT_RADIUS;
      for (var k = 0; k < this._drawnCount; k++) {
        var i = this._drawn[k];
        var dx = this._screen[2 * i] - containerPoint.x;
        var dy = this._screen[2 * i + 1] - containerPoint.y;
        var distance = dx * dx + dy * dy;
        // Prefer a major-hazard site when points overlap: it is the one drawn on top.
        if (distance < bestDistance || (distance <= bestDistance && this._points[i][4])) {
          best = i;
          bestDistance = distance;
        }
      }
      return best < 0 ? null : this._points[best];
    }
  });

  // Below zoom 10 (a phone showing the whole city) 36 town names pile on each other: hide them there; a tap on a
  // town still names it in its popup.
  function toggleLabels() {
    map.getContainer().classList.toggle("anjian-labels-hidden", map.getZoom() < 10);
  }
  map.on("zoomend", toggleLabels);
  toggleLabels();

  var pointsLayer = new PointsLayer().addTo(map);
  var backgroundBounds = null;
  var towns = [];  // town outline features, for "which town was clicked"

  // Ray casting over a GeoJSON Polygon or MultiPolygon ([lng, lat] rings; holes count by parity).
  function inRing(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) { inside = !inside; }
    }
    return inside;
  }
  function inGeometry(geometry, x, y) {
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    return polygons.some(function (rings) {
      var inside = false;
      rings.forEach(function (ring) { if (inRing(ring, x, y)) { inside = !inside; } });
      return inside;
    });
  }
  function townAt(latlng) {
    for (var i = 0; i < towns.length; i++) {
      if (inGeometry(towns[i].geometry, latlng.lng, latlng.lat)) { return towns[i]; }
    }
    return null;
  }
  function townContent(feature) {
    var wrapper = document.createElement("div");
    var name = document.createElement("div");
    name.className = "fw-semibold";
    name.textContent = feature.properties.name;
    wrapper.appendChild(name);
    var link = document.createElement("a");
    link.href = config.dashboardUrl.replace(config.dashboardPlaceholder, feature.properties.code);
    link.textContent = config.text.townDashboard;
    wrapper.appendChild(link);
    if (feature.properties.approximate) {
      var note = document.createElement("div");
      note.className = "text-secondary small";
      note.textContent = config.text.approximate;
      wrapper.appendChild(note);
    }
    return wrapper;
  }

  function popupContent(point) {
    var wrapper = document.createElement("div");
    var link = document.createElement("a");
    link.href = config.detailUrl.replace(config.detailPlaceholder, String(point[2]));
    link.textContent = point[3];
    wrapper.appendChild(link);
    if (point[4]) {
      var badge = document.createElement("div");
      badge.className = "text-danger small";
      badge.textContent = config.text.majorHazard;
      wrapper.appendChild(badge);
    }
    return wrapper;
  }

  map.on("click", function (event) {
    var point = pointsLayer.nearest(event.containerPoint);
    if (point) {
      L.popup().setLatLng([point[0], point[1]]).setContent(popupContent(point)).openOn(map);
      return;
    }
    // Not on a point: the town under the click, with a link to its dashboard.
    var town = townAt(event.latlng);
    if (town) {
      L.popup().setLatLng(event.latlng).setContent(townContent(town)).openOn(map);
    }
  });
  map.on("mousemove", function (event) {
    map.getContainer().style.cursor = pointsLayer.nearest(event.containerPoint) ? "pointer" : "";
  });

  function fitToPoints(points) {
    if (!points.length) {
      if (backgroundBounds && backgroundBounds.isValid()) { map.fitBounds(backgroundBounds); }
      return;
    }
    var south = 90, west = 180, north = -90, east = -180;
    points.forEach(function (point) {
      if (point[0] < south) { south = point[0]; }
      if (point[0] > north) { north = point[0]; }
      if (point[1] < west) { west = point[1]; }
      if (point[1] > east) { east = point[1]; }
    });
    map.fitBounds([[south, west], [north, east]], { padding: [20, 20], maxZoom: 15 });
  }

  function setStatus(text) { statusElement.textContent = text; }

  function formQuery() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "") { params.append(key, value); }
    });
    return params.toString();
  }

  var request = 0;
  function loadPoints() {
    var query = formQuery();
    var mine = ++request;
    setStatus(config.text.loading);
    fetch(config.pointsUrl + (query ? "?" + query : ""), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (result) {
        if (mine !== request) { return; }
        if (!result.ok) {
          var fields = result.body.fields || {};
          var details = Object.keys(fields).map(function (key) { return fields[key].join(" "); }).join(" ");
          setStatus(config.text.error + (result.body.message || "") + " " + details);
          return;
        }
        pointsLayer.setPoints(result.body.points);
        setStatus(config.text.count.replace("%(count)s", result.body.count.toLocaleString()));
        fitToPoints(result.body.points);
      })
      .catch(function (error) {
        if (mine === request) { setStatus(config.text.error + error); }
      });
  }

  function loadBackground() {
    return fetch(config.townsUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { features: [] }; })
      .then(function (collection) {
        function ofKind(kind) {
          return collection.features.filter(function (feature) { return feature.properties.kind === kind; });
        }
        var outline = ofKind("city");
        var labels = ofKind("label");
        towns = ofKind("town");
        var villages = ofKind("village");
        if (outline.length) {
          var layer = L.geoJSON(outline, {
            interactive: false,
            style: { color: "#6c7a89", weight: 1.5, fill: !config.tileUrl, fillColor: "#ffffff", fillOpacity: 0.6 }
          }).addTo(map);
          backgroundBounds = layer.getBounds();
        }
        // Town (and, for one town's staff, village) outlines; the 示意 ones dashed and grey.
        [[towns, 1.2], [villages, 0.8]].forEach(function (pair) {
          if (!pair[0].length) { return; }
          L.geoJSON(pair[0], {
            interactive: false,
            style: function (feature) {
              var approximate = feature.properties.approximate;
              return {
                color: approximate ? "#7a8794" : "#206bc4", weight: pair[1], dashArray: approximate ? "4 4" : null,
                fill: true, fillColor: "#206bc4", fillOpacity: 0.03
              };
            }
          }).addTo(map);
        });
        labels.forEach(function (feature) {
          window.anjianTownLabel(feature, "anjian-town-label").addTo(map);
          var coordinates = feature.geometry.coordinates;
          if (!backgroundBounds) { backgroundBounds = L.latLngBounds([]); }
          backgroundBounds.extend([coordinates[1], coordinates[0]]);
        });
      })
      .catch(function () { /* The map still works without its background. */ });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = formQuery();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    loadPoints();
  });
  form.addEventListener("change", function (event) {
    if (event.target.type === "checkbox" || event.target.tagName === "SELECT") {
      form.requestSubmit ? form.requestSubmit() : loadPoints();
    }
  });

  loadBackground().then(loadPoints);
})();
