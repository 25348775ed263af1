// The sign-up page's live preview: a moment after the person stops typing, ask Kindred for the
// picks their answers would get (GET /subscribe/preview, which changes nothing) and show them.
// Without this script the "Preview my picks" button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form[action='/subscribe']");
  var box = document.getElementById("preview-box");
  if (!form || !box || !window.fetch) { return; }
  var fields = ["passions", "near", "within_km", "mode", "timezone"];
  var timer = null, asked = 0;
  function update() {
    var params = new URLSearchParams();
    fields.forEach(function (name) { params.set(name, form.elements[name].value); });
    if (!params.get("passions").trim()) { return; }
    var mine = ++asked;
    fetch("/subscribe/preview?" + params.toString(), { credentials: "same-origin" })
      .then(function (answer) { return answer.text(); })
      .then(function (html) { if (mine === asked) { box.innerHTML = html; } })
      .catch(function () {});
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 400);
  });
})();
