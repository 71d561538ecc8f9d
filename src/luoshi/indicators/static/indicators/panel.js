// The dashboard's indicator sparklines: one small line per headline indicator, no axes.
document.addEventListener("DOMContentLoaded", function () {
  const data = JSON.parse(document.getElementById("spark-data").textContent);
  if (typeof echarts === "undefined") return;
  for (const s of data) {
    const el = document.getElementById("spark-" + s.id);
    if (!el) continue;
    const chart = echarts.init(el);
    chart.setOption({
      grid: { left: 2, right: 2, top: 4, bottom: 4 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: s.labels, show: false },
      yAxis: { type: "value", scale: true, show: false },
      series: [{ type: "line", data: s.values, showSymbol: false, smooth: true, areaStyle: { opacity: 0.15 } }],
    });
    window.addEventListener("resize", () => chart.resize());
  }
  document.body.dataset.sparksReady = "1";
});
