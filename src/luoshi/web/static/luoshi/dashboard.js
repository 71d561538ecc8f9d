// Draw the dashboard's completion charts from the JSON the page embeds.
document.addEventListener("DOMContentLoaded", function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const labels = JSON.parse(document.getElementById("chart-labels").textContent);
  for (const [key, rows] of Object.entries(data)) {
    const el = document.getElementById("chart-" + key);
    if (!el || typeof echarts === "undefined") continue;
    const chart = echarts.init(el);
    chart.setOption({
      title: { text: labels[key], left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, data: [labels.done, labels.open] },
      grid: { left: 140, right: 30, top: 40, bottom: 40 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: rows.map(r => r.name).reverse(), axisLabel: { width: 130, overflow: "truncate" } },
      series: [
        { name: labels.done, type: "bar", stack: "n", data: rows.map(r => r.done).reverse(), itemStyle: { color: "#2e7d32" } },
        { name: labels.open, type: "bar", stack: "n", data: rows.map(r => r.total - r.done).reverse(), itemStyle: { color: "#cfd8dc" } },
      ],
    });
    window.addEventListener("resize", () => chart.resize());
  }
  document.body.dataset.chartsReady = "1";
});
