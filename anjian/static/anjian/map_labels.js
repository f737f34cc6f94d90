/* Town name labels on the offline maps (the enterprise map, a public report's pin map): a non-interactive marker
   holding the name as text (never HTML), placed at a GeoJSON Point feature. The label's CSS class centres it. */
(function () {
  "use strict";
  window.anjianTownLabel = function (feature, className) {
    var text = document.createElement("span");
    text.textContent = feature.properties.name;
    var coordinates = feature.geometry.coordinates;
    return L.marker([coordinates[1], coordinates[0]], {
      icon: L.divIcon({ className: className, html: text, iconSize: null }),
      interactive: false,
      keyboard: false
    });
  };
})();
