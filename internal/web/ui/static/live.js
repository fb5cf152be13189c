// Live updates: a page with data-live opens its stream and reloads when what
// it shows changes. While the officer has changed a form field it does not
// reload, which would lose their input; it says so instead. Every page works
// without this script.
(function () {
  "use strict";
  var url = document.body.dataset.live;
  if (!url || !window.EventSource) return;
  var timer = null;

  function edited(f) {
    if (f.type === "checkbox" || f.type === "radio") return f.checked !== f.defaultChecked;
    if (f.tagName === "SELECT" && f.multiple) return Array.prototype.some.call(f.options, function (o) { return o.selected !== o.defaultSelected; });
    if (f.tagName === "SELECT") {
      // With no option marked selected, the browser shows the first one.
      var d = Array.prototype.findIndex.call(f.options, function (o) { return o.defaultSelected; });
      return f.selectedIndex !== Math.max(d, 0);
    }
    return f.type !== "hidden" && f.value !== f.defaultValue;
  }
  function typing() {
    return Array.prototype.some.call(document.querySelectorAll("input, textarea, select"), edited);
  }
  function announce() {
    if (document.getElementById("live-changed")) return;
    var p = document.createElement("p");
    p.id = "live-changed";
    p.className = "alert";
    p.setAttribute("role", "status");
    p.textContent = (url.indexOf("case=") >= 0 ? "This case" : "This page") + " changed — ";
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = "reload";
    b.addEventListener("click", function () { location.reload(); });
    p.appendChild(b);
    document.getElementById("main").prepend(p);
  }
  function changed() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (typing()) announce(); else location.reload();
    }, 300);
  }
  var source = new EventSource(url);
  source.addEventListener("change", changed);
  source.addEventListener("resync", changed);
})();
