/* The map pin of a public report (issue 8 item 6: "place (town or village, or a map pin)").

   On the citizen's form a click (or tap) drops the pin and fills the hidden latitude/longitude inputs; the pin can be
   dragged or cleared. On the regulator's report page the same map only shows the pin. The background is the site's
   own GeoJSON (city outline, town areas and labels) with the intranet's tiles only when ANJIAN_MAP_TILE_URL is set:
   no request leaves the site. Without JavaScript the map stays hidden and the form works without a pin. */
(function () {
  "use strict";
  var source = document.getElementById("report-pin-config");
  var container = document.getElementById("report-pin");
  if (!source || !container || !window.L) { return; }
  var config = JSON.parse(source.textContent);
  var latitudeInput = document.getElementById("id_latitude");
  var longitudeInput = document.getElementById("id_longitude");
  var statusElement = document.getElementById("report-pin-status");
  var clearButton = document.getElementById("report-pin-clear");
  var bounds = L.latLngBounds(config.bounds);
  container.classList.remove("d-none");

  // Half zoom steps let the whole city fill the small map (a whole step leaves it a third of the frame).
  var map = L.map("report-pin-map", { minZoom: 8, maxZoom: 18, zoomSnap: 0.5, maxBounds: bounds.pad(0.5) });
  map.fitBounds(bounds);
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 18 }).addTo(map);
  }

  function toggleLabels() {
    map.getContainer().classList.toggle("anjian-pin-labels-hidden", map.getZoom() < 10);
  }
  map.on("zoomend", toggleLabels);
  toggleLabels();

  function drawBackground(collection) {
    function ofKind(kind) {
      return collection.features.filter(function (feature) { return feature.properties.kind === kind; });
    }
    L.geoJSON(ofKind("city"), {
      interactive: false,
      style: { color: "#6c7a89", weight: 1.5, fill: !config.tileUrl, fillColor: "#ffffff", fillOpacity: 0.7 }
    }).addTo(map);
    L.geoJSON(ofKind("town"), {
      interactive: false,
      style: function (feature) {
        var approximate = feature.properties.approximate;
        return { color: approximate ? "#7a8794" : "#206bc4", weight: 1, dashArray: approximate ? "4 4" : null,
                 fill: false };
      }
    }).addTo(map);
    ofKind("label").forEach(function (feature) {
      window.anjianTownLabel(feature, "anjian-pin-label").addTo(map);
    });
  }
  fetch(config.geographyUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (response) { return response.ok ? response.json() : { features: [] }; })
    .then(drawBackground)
    .catch(function () { /* The pin works on a blank map too. */ });

  var marker = null;
  var placed = null;
  function describe(text) {
    if (statusElement) { statusElement.textContent = text; }
  }
  function record(latlng) {
    placed = latlng;
    if (latitudeInput) { latitudeInput.value = latlng ? latlng.lat.toFixed(6) : ""; }
    if (longitudeInput) { longitudeInput.value = latlng ? latlng.lng.toFixed(6) : ""; }
    if (clearButton) { clearButton.disabled = !latlng; }
    describe(latlng
      ? config.text.placed.replace("%(lat)s", latlng.lat.toFixed(6)).replace("%(lng)s", latlng.lng.toFixed(6))
      : config.text.empty);
  }
  function place(latlng) {
    if (!bounds.contains(latlng)) {
      // A pin dragged out of the city goes back where it was; the server would refuse it anyway.
      if (marker && placed) { marker.setLatLng(placed); }
      describe(config.text.outside);
      return;
    }
    if (marker) {
      marker.setLatLng(latlng);
    } else {
      marker = L.marker(latlng, {
        icon: new L.Icon.Default({ className: "anjian-report-pin" }), draggable: config.editable, keyboard: false
      }).addTo(map);
      marker.on("dragend", function () { place(marker.getLatLng()); });
    }
    record(latlng);
  }
  function clear() {
    if (marker) { map.removeLayer(marker); marker = null; }
    record(null);
  }

  if (config.pin) {
    place(L.latLng(config.pin[0], config.pin[1]));
    // Close enough to read the street's surroundings, wide enough to keep the town labels and outlines in view.
    if (!config.editable) { map.setView(config.pin, 12); }
  } else {
    record(null);
  }
  if (config.editable) {
    map.on("click", function (event) {
      var first = !marker;
      place(event.latlng);
      // A first tap on the whole city is a rough one: come closer so the pin can be dragged to the very spot.
      if (first && marker && map.getZoom() < 12) { map.setView(event.latlng, 12); }
    });
    if (clearButton) { clearButton.addEventListener("click", clear); }
  }
})();
