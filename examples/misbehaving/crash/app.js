// Misbehaving demo: throws as soon as it is ready (crash governance; the host restarts it until its limit).
"use strict";

Office.onReady(() => {
  console.log("crash: ready, now throwing");
  const el = document.getElementById("status");
  if (el) el.textContent = "crashing";
  throw new Error("Outpost demo add-in crashed on purpose");
});
