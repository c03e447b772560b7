/// <reference path="../App.js" />
(function () {
    "use strict";
    Office.initialize = function (reason) {
        $(document).ready(function () {
            app.initialize();
            document.getElementById("item-subject").textContent = Office.context.mailbox.item.subject;
        });
    };
    // The template relies on jQuery; this add-in ships without it, so a minimal ready() stands in.
    function $(d) { return { ready: function (fn) { if (d.readyState !== "loading") fn(); else d.addEventListener("DOMContentLoaded", fn); } }; }
})();
