// Draw the bulletin page's charts from the JSON the page embeds: standings, and rates by group.
document.addEventListener("DOMContentLoaded", function () {
  const data = JSON.parse(document.getElementById("bulletin-data").textContent);
  const labels = data.labels || {};  // chart titles in the page's language
  if (typeof echarts === "undefined") return;
  const draw = (id, option) => {
    const el = document.getElementById(id);
    if (!el) return;
    const chart = echarts.init(el);
    chart.setOption(option);
    window.addEventListener("resize", () => chart.resize());
  };
  draw("chart-standings", {
    title: { text: labels.standings || "进度分类", left: "center", textStyle: { fontSize: 14 } },
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "65%"], data: data.standings }],
  });
  const bars = (id, title, group) => draw(id, {
    title: { text: title, left: "center", textStyle: { fontSize: 14 } },
    tooltip: { trigger: "axis" },
    grid: { left: 140, right: 30, top: 40, bottom: 30 },
    xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    yAxis: { type: "category", data: group.names.slice().reverse(), axisLabel: { width: 130, overflow: "truncate" } },
    series: [{ name: labels.rate || "序时达标率", type: "bar", data: group.rates.slice().reverse(), itemStyle: { color: "#2e7d32" } }],
  });
  bars("chart-domain", labels.domain || "分领域序时达标率", data.domain);
  bars("chart-city", labels.city || "分城市序时达标率", data.city);
  bars("chart-unit", labels.unit || "牵头单位序时达标率", data.unit);
  document.body.dataset.chartsReady = "1";
});
