/* Progressive enhancement for the site chrome. Loaded with `defer`; no inline script (CSP).
 *
 * - The header menu collapses behind a button on narrow screens (the button only exists
 *   for people with JavaScript; without it the menu stays open).
 * - Filter panels marked [data-collapsible-filters] collapse on narrow screens so the
 *   results come first; a <details> element does the work, this only opens it on wide screens.
 */
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 47.99rem)");
  var narrowFilters = window.matchMedia("(max-width: 49.99rem)");

  function setupMenu() {
    var toggle = document.querySelector(".menu-toggle");
    var menu = document.getElementById("site-menu");
    if (!toggle || !menu) return;
    document.documentElement.classList.add("has-menu-toggle");
    toggle.hidden = false;
    function close() {
      toggle.setAttribute("aria-expanded", "false");
      menu.classList.remove("is-open");
    }
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        close();
        toggle.focus();
      }
    });
    narrow.addEventListener("change", close);
  }

  function setupFilters() {
    var panels = document.querySelectorAll("details[data-collapsible-filters]");
    function sync() {
      panels.forEach(function (panel) {
        // Wide screens: always open. Narrow: closed unless the visitor opened it or a filter is set.
        if (!narrowFilters.matches) panel.open = true;
        else if (!panel.hasAttribute("data-active")) panel.open = false;
      });
    }
    sync();
    narrowFilters.addEventListener("change", sync);
  }

  setupMenu();
  setupFilters();
})();
