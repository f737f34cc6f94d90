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
    var legendBase = {
      type: "plain",  // the same type in both layouts: changing it would rebuild the legend without its formatter
      formatter: function (name) { return name + "  " + counts[name]; },
      textStyle: { fontSize: 12 },
      selectedMode: false,
      itemWidth: 14
    };
    function layout() {
      var width = domainsElement.clientWidth;
      var wide = width >= 520;
      var legend = Object.assign({}, legendBase);
      if (wide) {
        // Every entry in one column (22 px each), so the chart is as tall as its legend.
        domainsElement.style.height = Math.max(320, data.domains.length * 22 + 24) + "px";
        Object.assign(legend, { orient: "vertical", right: 16, top: "middle", left: null, width: null, itemGap: 8 });
        return { legend: legend, series: [{ center: ["32%", "50%"], radius: ["38%", "68%"] }] };
      }
      // Legend rows below the donut: an entry ("工贸-机械 499") takes about 110 px, a row 21 px.
      var rows = Math.ceil(data.domains.length / Math.max(1, Math.floor((width - 16) / 110)));
      domainsElement.style.height = 232 + rows * 21 + 8 + "px";
      Object.assign(legend, { orient: "horizontal", left: 8, right: null, top: 232, width: width - 16, itemGap: 6 });
      return { legend: legend, series: [{ center: ["50%", 116], radius: [50, 100] }] };
    }
    var domainChart = echarts.init(domainsElement);
    var base = {
      // 21 supervision domains: the default 9 colours would repeat, giving two slices one colour.
      color: ["#206bc4", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc",
              "#2f4554", "#c23531", "#61a0a8", "#d48265", "#749f83", "#ca8622", "#bda29a", "#6e7074", "#4b2e83",
              "#00a19b", "#8c564b", "#b5bd00"],
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
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
    // Below the donut the estimate may leave a blank strip or cut a row: once drawn, fit the height to the
    // legend's real height (when this ECharts build lets us read it).
    function fitLegend() {
      if (domainsElement.clientWidth >= 520 || !domainChart.getViewOfComponentModel) { return; }
      var model = domainChart.getModel && domainChart.getModel().getComponent("legend");
      var view = model && domainChart.getViewOfComponentModel(model);
      var height = view && view.group && view.group.getBoundingRect().height;
      if (height > 0) {
        domainsElement.style.height = Math.ceil(232 + height + 12) + "px";
        domainChart.resize();
      }
    }
    function relayout() {
      domainChart.setOption(layout());
      domainChart.resize();
      fitLegend();
    }
    domainChart.setOption(base);
    relayout();
    domainChart.on("click", openRow);
    charts.push(domainChart);
    domainChart.relayout = relayout;
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { (chart.relayout || chart.resize).call(chart); });
  });
})();
