/* Home dashboard charts (ECharts). Data comes from the page (json_script "dashboard-data"); a click on a
   bar or a slice opens the enterprise list filtered to that town or domain. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];

  function openRow(params) {
    if (params.data && params.data.url) { window.location.href = params.data.url; }
  }

  var areasElement = document.getElementById("chart-areas");
  if (areasElement && data.areas.length) {
    // One row per town (or village), largest on top; the chart grows with the rows so names stay readable.
    var areas = data.areas.slice().reverse();
    areasElement.style.height = Math.max(240, areas.length * 24 + 40) + "px";
    var areaChart = echarts.init(areasElement);
    areaChart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: areas.map(function (row) { return row.name; }), axisTick: { show: false } },
      series: [{
        name: data.labels.count,
        type: "bar",
        cursor: "pointer",
        barMaxWidth: 28,
        label: { show: true, position: "right" },
        itemStyle: { color: "#206bc4" },
        data: areas.map(function (row) { return { value: row.count, url: row.url }; })
      }]
    });
    areaChart.on("click", openRow);
    charts.push(areaChart);
  }

  var domainsElement = document.getElementById("chart-domains");
  if (domainsElement && data.domains.length) {
    var domainChart = echarts.init(domainsElement);
    domainChart.setOption({
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { type: "scroll", bottom: 0 },
      series: [{
        name: data.labels.domains,
        type: "pie",
        radius: ["30%", "55%"],
        center: ["50%", "45%"],
        cursor: "pointer",
        // Labels at the card's edges with their lines, so long domain names are not cut off on narrow cards.
        label: { formatter: "{b}\n{c}", alignTo: "edge", edgeDistance: 8, lineHeight: 15 },
        labelLine: { length: 10, length2: 0, maxSurfaceAngle: 80 },
        labelLayout: { hideOverlap: true },
        data: data.domains.map(function (row) { return { name: row.label, value: row.count, url: row.url }; })
      }]
    });
    domainChart.on("click", openRow);
    charts.push(domainChart);
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
