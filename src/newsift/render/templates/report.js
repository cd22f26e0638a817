// newsift report: layer toggles and span details. Article strings are written with textContent only.
(function () {
  "use strict";
  var marks = JSON.parse(document.getElementById("marks").textContent);
  var body = document.body;
  document.querySelectorAll(".toggles input").forEach(function (box) {
    var cls = "show-" + box.dataset.layer;
    box.checked = body.classList.contains(cls);
    box.addEventListener("change", function () { body.classList.toggle(cls, box.checked); });
  });
  var panel = document.getElementById("details-body");
  var selected = null;
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (cls) { node.className = cls; }
    return node;
  }
  function show(span) {
    panel.replaceChildren();
    span.dataset.m.split(" ").forEach(function (i) {
      var m = marks[+i];
      if (!body.classList.contains("show-" + m.layer)) { return; }
      panel.appendChild(el("h3", m.title));
      panel.appendChild(el("p", m.text, "span-text"));
      var dl = document.createElement("dl");
      Object.keys(m.details).forEach(function (k) {
        dl.appendChild(el("dt", k));
        dl.appendChild(el("dd", m.details[k]));
      });
      panel.appendChild(dl);
    });
  }
  var text = document.getElementById("text");
  text.addEventListener("mouseover", function (e) {
    var span = e.target.closest(".m");
    if (span && !selected) { show(span); }
  });
  text.addEventListener("click", function (e) {
    var span = e.target.closest(".m");
    if (selected) { selected.classList.remove("selected"); }
    selected = span && span !== selected ? span : null;
    if (selected) { selected.classList.add("selected"); show(selected); }
  });
  text.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.classList.contains("m")) { e.target.click(); }
  });
})();
