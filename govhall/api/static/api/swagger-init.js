// Starts Swagger UI on /api/v1/docs from the settings the page carries (no inline script).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var config = JSON.parse(JSON.parse(document.getElementById("swagger-settings").textContent));
    var token = document.body.dataset.csrfToken;
    config.dom_id = "#swagger-ui";
    config.presets = [window.SwaggerUIBundle.presets.apis];
    config.requestInterceptor = function (request) {
      if (token) request.headers["X-CSRFToken"] = token;
      return request;
    };
    window.SwaggerUIBundle(config);
  });
})();
