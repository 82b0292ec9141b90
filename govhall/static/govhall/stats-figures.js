// Case figures: received and completed per row (bars) and the on-time rate (line), from the
// JSON the page carries in #figures-chart-data (ECharts).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("figures-chart");
    var source = document.getElementById("figures-chart-data");
    if (!box || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(box);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 40, bottom: 60 },
      xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: data.categories.length > 8 ? 30 : 0 } },
      yAxis: [
        { type: "value", name: data.labels.count, minInterval: 1 },
        { type: "value", name: data.labels.percent, min: 0, max: 100 }
      ],
      series: [
        { name: data.labels.received, type: "bar", data: data.received, itemStyle: { color: "#93c5fd" } },
        { name: data.labels.completed, type: "bar", data: data.completed, itemStyle: { color: "#1d4ed8" } },
        { name: data.labels.on_time_rate, type: "line", yAxisIndex: 1, data: data.on_time_rate, itemStyle: { color: "#067647" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
