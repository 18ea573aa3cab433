// Starts Swagger UI on the service's OpenAPI document (the page names its URL in a meta element).
// validatorUrl: null keeps Swagger UI from asking an online validator about the document.
"use strict";
window.addEventListener("load", function () {
  var url = document.querySelector('meta[name="openapi-url"]').content;
  window.ui = SwaggerUIBundle({
    url: url,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
});
