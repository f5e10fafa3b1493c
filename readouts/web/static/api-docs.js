// Starts the vendored Swagger UI on /api/docs. A file, not an inline script: the
// Content-Security-Policy allows scripts from this server only.
"use strict";

(function () {
  const box = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: box.dataset.openapi,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null, // no calls to validator.swagger.io: the server may have no internet
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
})();
