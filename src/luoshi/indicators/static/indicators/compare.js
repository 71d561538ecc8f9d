// Draw a city comparison: levels and growth, one line per city, and the coefficient of variation.
document.addEventListener("DOMContentLoaded", function () {
  const source = document.getElementById("compare-data");
  if (typeof echarts === "undefined" || !source) return;
  const data = JSON.parse(source.textContent);
  const charts = [];
  function lines(id, periods, series, percent) {
    const el = document.getElementById(id);
    if (!el) return;
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 60, right: 30, top: 40, bottom: 30 },
      xAxis: { type: "category", data: periods },
      yAxis: { type: "value", scale: true, axisLabel: percent ? { formatter: "{value}%" } : {} },
      series: series.map((s) => ({ name: s.name, type: "line", data: s.data, connectNulls: false })),
    });
    charts.push(chart);
  }
  lines("chart-levels", data.periods, data.levels, false);
  lines("chart-growth", data.periods, data.growth, true);
  lines("chart-cv", data.cv_periods, [{ name: document.getElementById("chart-cv").dataset.name || "CV", data: data.cv }], false);
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
  document.body.dataset.chartsReady = "1";
});
