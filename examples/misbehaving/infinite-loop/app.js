// Misbehaving demo: spins forever once ready (CPU and unresponsiveness governance).
"use strict";

Office.onReady(() => {
  console.log("infinite-loop: ready, now spinning");
  const el = document.getElementById("status");
  if (el) el.textContent = "spinning";
  let n = 0;
  for (;;) n = (n + 1) | 0;
});
