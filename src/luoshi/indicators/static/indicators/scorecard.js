// Draw a scorecard's figures: the change on the year and the share of target of each indicator.
document.addEventListener("DOMContentLoaded", function () {
  const data = JSON.parse(document.getElementById("scorecard-data").textContent);
  const labels = JSON.parse(document.getElementById("scorecard-labels").textContent);
  const el = document.getElementById("chart-scorecard");
  if (typeof echarts === "undefined" || !el) return;
  const chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: [labels.growth, labels.share] },
    grid: { left: 180, right: 30, top: 40, bottom: 30 },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: data.names.slice().reverse(), axisLabel: { width: 170, overflow: "truncate" } },
    series: [
      { name: labels.growth, type: "bar", data: data.growth.slice().reverse() },
      { name: labels.share, type: "bar", data: data.share.slice().reverse() },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
  document.body.dataset.chartsReady = "1";
});
