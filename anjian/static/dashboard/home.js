/* Dashboard charts (ECharts). Data comes from the page (json_script "dashboard-data"); a click on a bar opens
   that town's (village's) dashboard, a click on a slice the enterprise list filtered to that domain. */
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
        data: areas.map(function (row) { return { value: row.count, url: row.dashboard }; })
      }]
    });
    areaChart.on("click", openRow);
    charts.push(areaChart);
  }

  var domainsElement = document.getElementById("chart-domains");
  if (domainsElement && data.domains.length) {
    // The legend carries each domain's count, so the slices need no labels of their own: outer labels and a
    // legend fought for the same space and overlapped on narrow cards. Wide card: legend in a column on the
    // right, donut on the left. Narrow (phone, or the card at xl width): donut on top, legend in rows below.
    var counts = {};
    data.domains.forEach(function (row) { counts[row.label] = row.count; });
    var rows = Math.ceil(data.domains.length / 2);
    var narrowHeight = 240 + rows * 22 + 16;
    function layout() {
      var width = domainsElement.clientWidth;
      var wide = width >= 520;
      domainsElement.style.height = (wide ? 320 : narrowHeight) + "px";
      return wide ? {
        legend: { orient: "vertical", type: "scroll", right: 8, top: "middle", left: null, bottom: null, width: null,
                  itemGap: 8 },
        series: [{ center: ["30%", "50%"], radius: ["38%", "68%"] }]
      } : {
        legend: { orient: "horizontal", type: "plain", left: 0, right: 0, top: 232, bottom: null, width: width,
                  itemGap: 6, itemWidth: 14 },
        series: [{ center: ["50%", 116], radius: [50, 100] }]
      };
    }
    var domainChart = echarts.init(domainsElement);
    var base = {
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: {
        formatter: function (name) { return name + "  " + counts[name]; },
        textStyle: { fontSize: 12 },
        selectedMode: false
      },
      series: [{
        name: data.labels.domains,
        type: "pie",
        cursor: "pointer",
        avoidLabelOverlap: true,
        label: { show: false, position: "center" },
        labelLine: { show: false },
        emphasis: { label: { show: true, formatter: "{c}\n{d}%", fontWeight: "bold" } },
        data: data.domains.map(function (row) { return { name: row.label, value: row.count, url: row.url }; })
      }]
    };
    domainChart.setOption(base);
    domainChart.setOption(layout());
    domainChart.resize();
    domainChart.on("click", openRow);
    charts.push(domainChart);
    domainChart.relayout = function () { domainChart.setOption(layout()); domainChart.resize(); };
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { (chart.relayout || chart.resize).call(chart); });
  });
})();
