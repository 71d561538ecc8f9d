// Behaviour every page shares, kept out of the HTML so the Content-Security-Policy can refuse
// inline scripts and event-handler attributes.
(function () {
  "use strict";

  // The phone layout hides the navigation behind a menu button only when this script runs.
  document.documentElement.classList.add("js");

  // The header's menu button (narrow screens) opens and closes the navigation.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".menu-toggle");
    if (!button) {
      return;
    }
    var header = button.closest("header");
    var open = header.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });

  // <select data-autosubmit>: choosing an option submits its form (the language menu).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });
})();
