// The API docs page (/api/docs): Swagger UI from the site's own static files, set up from the
// settings the server wrote into the page, sending the CSRF token on unsafe requests.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrf = document.body.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [window.SwaggerUIBundle.presets.apis];
  if (csrf) {
    config.requestInterceptor = function (req) {
      req.headers["X-CSRFToken"] = csrf;
      return req;
    };
  }
  window.SwaggerUIBundle(config);
})();
