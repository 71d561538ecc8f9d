// Draw a stored index: one bar per entity for the index, one series per area for the sub-indices.
document.addEventListener("DOMContentLoaded", function () {
  const data = JSON.parse(document.getElementById("index-data").textContent);
  const labels = JSON.parse(document.getElementById("index-labels").textContent);
  const el = document.getElementById("chart-index");
  if (typeof echarts === "undefined" || !el) return;
  const chart = echarts.init(el);
  const series = [{ name: labels.index, type: "bar", data: data.scores, label: { show: true, position: "top", formatter: (p) => p.value.toFixed(1) } }];
  data.areas.forEach((area, i) => series.push({ name: area, type: "bar", data: data.sub[i] }));
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: [labels.index, ...data.areas] },
    grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.entities },
    yAxis: { type: "value" },
    series: series,
  });
  window.addEventListener("resize", () => chart.resize());
  document.body.dataset.chartsReady = "1";
});
