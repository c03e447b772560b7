// Misbehaving demo: allocates 8 MB after 8 MB and keeps it all (memory governance).
"use strict";

const hoard = [];
const CHUNK = 1 << 20; // 1 Mi doubles = 8 MB

function grab() {
  hoard.push(new Float64Array(CHUNK).fill(hoard.length));
  if (hoard.length % 16 === 0) console.log(`memory-hog: holding ${hoard.length * 8} MB`);
}

Office.onReady(() => {
  console.log("memory-hog: ready, allocating");
  const el = document.getElementById("status");
  if (el) el.textContent = "allocating";
  if (typeof setTimeout === "function") {
    const step = () => {
      for (let i = 0; i < 4; i++) grab();
      setTimeout(step, 0);
    };
    step();
  } else {
    for (;;) grab();
  }
});
