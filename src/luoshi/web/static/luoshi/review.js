// The import review's unit pickers: each row's 牵头单位 and 配合单位 <select multiple> becomes a
// Tom Select type-ahead over the unit register (names and aliases, the plan's city first), asking
// the review's own endpoint (data-units-url on the form) as the reviewer types.
//
// The 未知单位 table's selects (one unit, or 新建单位) search the same way.
//
// A plan can have a thousand rows, two pickers each: a picker is built only when its row comes
// near the screen, so the page opens as fast as without them. Without this script (or Tom Select)
// the selects still post the units the document names, and the reviewer can drop any of them.
(function () {
  "use strict";

  function cityOf(form) {
    var city = form.elements.namedItem("city");
    return city && city.value ? city.value : "";
  }

  function build(select) {
    if (select.tomselect || typeof window.TomSelect !== "function") return;
    var form = select.form;
    var url = form.getAttribute("data-units-url");
    var noResults = form.getAttribute("data-no-results") || "";
    // The unknown-unit mapping is a single choice (新建单位 or one unit); the rows' pickers are lists.
    new window.TomSelect(select, {
      plugins: select.multiple ? ["remove_button"] : [],
      valueField: "value",
      labelField: "text",
      searchField: [],
      maxOptions: 30,
      preload: "focus",
      // The server matched aliases too, which the option text does not show: keep its order.
      score: function () {
        return function () { return 1; };
      },
      load: function (query, done) {
        var q = "?q=" + encodeURIComponent(query) + "&city=" + encodeURIComponent(cityOf(form));
        fetch(url + q, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) { done(data.results || []); })
          .catch(function () { done(); });
      },
      render: {
        no_results: function () {
          var div = document.createElement("div");
          div.className = "no-results";
          div.textContent = noResults;
          return div;
        },
      },
    });
  }

  function markRole(select) {
    var row = select.closest("tr");
    if (row) row.classList.toggle("not-chased", select.value !== "task");
  }

  function start() {
    var form = document.getElementById("review-form");
    if (!form) return;
    var pickers = form.querySelectorAll("select.unit-picker");
    if ("IntersectionObserver" in window) {
      var seen = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          if (e.isIntersecting) {
            seen.unobserve(e.target);
            build(e.target);
          }
        });
      }, { rootMargin: "400px 0px" });
      pickers.forEach(function (s) { seen.observe(s); });
    } else {
      pickers.forEach(build);
    }
    form.querySelectorAll("select.row-role").forEach(function (s) {
      s.addEventListener("change", function () { markRole(s); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
