Office.onReady(async function () {
  var visits = Number(localStorage.getItem("visits") || "0") + 1;
  localStorage.setItem("visits", String(visits));
  document.getElementById("visits").textContent = "visits " + localStorage.getItem("visits") + " " + btoa("ok") + " " + crypto.getRandomValues(new Uint8Array(4)).length;
  var res = await fetch("https://api.contoso.example/v1/profile?user=" + encodeURIComponent(Office.context.mailbox.userProfile.emailAddress), { headers: { "x-contoso": "1" } });
  var profile = await res.json();
  document.getElementById("profile").textContent = profile.plan + " for " + profile.team;
  // What a hostile add-in would try: reach into the host page for the session secret.
  try { document.getElementById("parent").textContent = "parent readable: " + String(window.parent.document.title); }
  catch (e) { document.getElementById("parent").textContent = "parent blocked"; }
  document.getElementById("secret").textContent = JSON.stringify(Object.keys(window).filter(function (k) { return /secret/i.test(k); }));
});
