// Queue statistics: the chart of the wait by hour of the day (ECharts), from the JSON the page
// carries in #wait-chart-data.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("wait-chart");
    var source = document.getElementById("wait-chart-data");
    if (!box || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(box);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.hours },
      yAxis: [
        { type: "value", name: data.labels.minutes },
        { type: "value", name: data.labels.tickets, minInterval: 1 }
      ],
      series: [
        { name: data.labels.taken, type: "bar", yAxisIndex: 1, data: data.taken, itemStyle: { color: "#cbd5e1" } },
        { name: data.labels.wait_avg, type: "line", data: data.wait_avg, smooth: true, itemStyle: { color: "#1d4ed8" } },
        { name: data.labels.wait_max, type: "line", data: data.wait_max, itemStyle: { color: "#b42318" }, lineStyle: { type: "dashed" } },
        { name: data.labels.service_avg, type: "line", data: data.service_avg, itemStyle: { color: "#067647" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
