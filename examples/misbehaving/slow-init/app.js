// Misbehaving demo: its initializer blocks for 8 s, over the 5 s initialization budget, then finishes.
"use strict";

const BLOCK_MS = 8000;

Office.initialize = () => {
  console.log(`slow-init: initializing for ${BLOCK_MS} ms`);
  const until = Date.now() + BLOCK_MS;
  while (Date.now() < until) {
    // busy: the add-in does not reach ready in time
  }
  console.log("slow-init: ready at last");
  const el = document.getElementById("status");
  if (el) el.textContent = "ready (late)";
};
