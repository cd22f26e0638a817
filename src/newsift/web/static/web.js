// newsift web workbench: small progressive enhancements (the pages work without it).
(function () {
  "use strict";
  document.querySelectorAll("select.autosubmit").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("nav.site a").forEach(function (link) {
    if (link.getAttribute("href") === window.location.pathname) { link.setAttribute("aria-current", "page"); }
  });
})();
