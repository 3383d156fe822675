// bianmin console: the little the pages need beyond htmx. No inline script anywhere (CSP script-src 'self').
(function () {
  "use strict";

  // Forms that change something ask first: <form data-confirm="确认……？">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);

  // A button that puts a text into a field: <button type="button" data-insert="#reply" data-text="…">
  // (the reply editor inserts a 一号答 answer after what is already written).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-insert]");
    var target = button && document.querySelector(button.getAttribute("data-insert"));
    if (!target) { return; }
    var text = button.getAttribute("data-text") || "";
    target.value = target.value.trim() ? target.value.replace(/\s+$/, "") + "\n\n" + text : text;
    target.focus();
  });

  // A link picker's choice adds its id to a comma-separated field once:
  // <button type="button" data-add-id="#f-services" data-id="12"> (the document's 关联 form).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-add-id]");
    var target = button && document.querySelector(button.getAttribute("data-add-id"));
    if (!target) { return; }
    var ids = target.value.split(/[,，]/).map(function (part) { return part.trim(); }).filter(Boolean);
    var id = button.getAttribute("data-id");
    if (ids.indexOf(id) < 0) { ids.push(id); }
    target.value = ids.join(",");
    target.focus();
  });

  // A table filtered as one types: <input type="search" data-filter="#table-id">; rows whose text lacks the
  // words are hidden, not removed (their checkboxes are still sent with the form).
  document.addEventListener("input", function (event) {
    var field = event.target;
    var table = field.getAttribute && field.getAttribute("data-filter") && document.querySelector(field.getAttribute("data-filter"));
    if (!table) return;
    var words = field.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var text = row.textContent.toLowerCase();
      row.hidden = !words.every(function (word) { return text.indexOf(word) !== -1; });
    });
  });

  // Charts: <div class="chart" data-chart='{"x": [...], "series": [{"name": ..., "type": ..., "data": [...]}]}'>.
  function drawCharts(root) {
    if (!window.echarts) { return; }
    root.querySelectorAll("[data-chart]").forEach(function (element) {
      var spec = JSON.parse(element.getAttribute("data-chart"));
      var chart = window.echarts.init(element, null, { renderer: "svg" });
      chart.setOption({
        animation: false, // drawn at once: slow counter PCs, and screenshots that show the figures
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 40, right: 20, top: 40, bottom: 30 },
        xAxis: { type: "category", data: spec.x },
        yAxis: { type: "value", minInterval: 1 },
        series: spec.series
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); });
})();
