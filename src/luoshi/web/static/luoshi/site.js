// Behaviour every page shares, kept out of the HTML so the Content-Security-Policy can refuse
// inline scripts and event-handler attributes.
(function () {
  "use strict";

  // <select data-autosubmit>: choosing an option submits its form (the language menu).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });
})();
