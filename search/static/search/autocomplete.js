// Progressive enhancement: title suggestions under a search box. Without JS the form works
// as a plain GET form. Markup: <form data-autocomplete="/soeg/autocomplete/"> with one
// input[type=search].
(function () {
  "use strict";

  function setup(form) {
    var input = form.querySelector('input[type="search"]');
    if (!input) return;
    var endpoint = form.getAttribute("data-autocomplete");
    var list = document.createElement("ul");
    list.className = "autocomplete-list";
    list.id = input.id + "-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.insertAdjacentElement("afterend", list);
    // ARIA 1.2 combobox: aria-expanded is only allowed on an input with this role.
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");

    var timer = null;
    var latest = 0;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      input.setAttribute("aria-expanded", "false");
    }

    function render(results) {
      list.innerHTML = "";
      results.forEach(function (item, index) {
        // The focusable link is the option itself: an option must not contain a control.
        var li = document.createElement("li");
        li.setAttribute("role", "none");
        var link = document.createElement("a");
        link.setAttribute("role", "option");
        link.id = list.id + "-" + index;
        link.href = item.url;
        link.textContent = item.title; // text, never HTML
        li.appendChild(link);
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var value = input.value.trim();
      if (value.length < 2) { close(); return; }
      timer = setTimeout(function () {
        var request = ++latest;
        fetch(endpoint + "?q=" + encodeURIComponent(value), {
          headers: { Accept: "application/json" },
          credentials: "same-origin"
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { if (request === latest) render(data.results || []); })
          .catch(close);
      }, 150);
    });

    input.addEventListener("keydown", function (event) {
      var links = list.querySelectorAll("a");
      if (event.key === "ArrowDown" && links.length) {
        event.preventDefault();
        links[0].focus();
      } else if (event.key === "Escape") {
        close();
      }
    });

    list.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var index = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && index < links.length - 1) {
        event.preventDefault();
        links[index + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (index > 0) links[index - 1].focus(); else input.focus();
      } else if (event.key === "Escape") {
        close();
        input.focus();
      }
    });

    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close();
    });
  }

  document.querySelectorAll("form[data-autocomplete]").forEach(setup);
})();
