// Satisfaction survey results: one bar chart per scale or choice question (ECharts), from the
// JSON the page carries in #survey-chart-data.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("survey-chart-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var charts = [];
    data.charts.forEach(function (item) {
      var box = document.getElementById(item.id);
      if (!box) return;
      var chart = window.echarts.init(box);
      chart.setOption({
        tooltip: { trigger: "axis" },
        grid: { left: 40, right: 16, top: 16, bottom: 60 },
        xAxis: { type: "category", data: item.labels, axisLabel: { interval: 0, rotate: 20 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: item.values, itemStyle: { color: "#1d4ed8" } }]
      });
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  });
})();
