// Visual Studio template style: a shared helper loaded with a ../Scripts path.
var app = (function () {
    "use strict";
    var app = {};
    app.initialize = function () {
        document.getElementById("shared").textContent = "shared helper loaded";
    };
    return app;
})();
