// Draw an indicator's figures: one line per city, pair or area over the periods.
document.addEventListener("DOMContentLoaded", function () {
  const data = JSON.parse(document.getElementById("indicator-data").textContent);
  const el = document.getElementById("chart-indicator");
  if (typeof echarts === "undefined" || !el) return;
  const chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", top: 0 },
    grid: { left: 60, right: 30, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.periods },
    yAxis: { type: "value", scale: true },
    series: data.series.map((s) => ({ name: s.name, type: "line", data: s.data, connectNulls: false })),
  });
  window.addEventListener("resize", () => chart.resize());
  document.body.dataset.chartsReady = "1";
});
