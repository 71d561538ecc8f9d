// Draw the number of cross-city service items each city can handle, one bar per city.
document.addEventListener("DOMContentLoaded", function () {
  const data = JSON.parse(document.getElementById("crosscity-data").textContent);
  const el = document.getElementById("chart-crosscity");
  if (typeof echarts === "undefined" || !el) return;
  const chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    grid: { left: 50, right: 20, top: 20, bottom: 30 },
    xAxis: { type: "category", data: data.cities },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.counts, label: { show: true, position: "top" } }],
  });
  window.addEventListener("resize", () => chart.resize());
  document.body.dataset.chartsReady = "1";
});
