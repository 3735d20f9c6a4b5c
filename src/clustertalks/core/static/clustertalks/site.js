// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  function visitorZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return null; }
  }

  // Show the talk time in the visitor's own zone when it differs from the series' zone.
  function showVisitorTimes() {
    var zone = visitorZone();
    document.querySelectorAll(".visitor-time[data-start]").forEach(function (el) {
      var start = new Date(el.dataset.start);
      var end = new Date(el.dataset.end);
      if (!zone || isNaN(start) || zone === el.dataset.zone) { return; }
      var lang = undefined;  // the visitor's own locale and date conventions
      var day = new Intl.DateTimeFormat(lang, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
      var clock = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
      var from = new Intl.DateTimeFormat(lang, clock).format(start);
      var to = new Intl.DateTimeFormat(lang, Object.assign({ timeZoneName: "short" }, clock)).format(end);
      el.textContent = el.dataset.label + " " + day.format(start) + ", " + from + "–" + to;
      el.hidden = false;
    });
  }

  function enableCopyButtons() {
    if (!navigator.clipboard) { return; }
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.dataset.copy).then(function () {
          var status = document.querySelector("[data-copy-status]");
          if (status) { status.textContent = button.dataset.copied; }
        });
      });
    });
  }

  // Phones: the main navigation folds behind a "Menu" button (without JavaScript it stays a
  // single scrolling row). The button shows only where the CSS hides the navigation.
  function collapsibleMenu() {
    var button = document.querySelector(".menu-toggle");
    var nav = document.getElementById("site-nav");
    if (!button || !nav) { return; }
    button.hidden = false;
    document.documentElement.classList.add("has-menu-toggle");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("is-open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        nav.classList.remove("is-open");
        button.focus();
      }
    });
  }

  // Wide screens: disclosures marked data-open-wide (the archive's filters) start open; on
  // phones they stay folded so that results come first.
  function openWideDisclosures() {
    if (!window.matchMedia || !window.matchMedia("(min-width: 48rem)").matches) { return; }
    document.querySelectorAll("details[data-open-wide]").forEach(function (el) { el.open = true; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    showVisitorTimes();
    enableCopyButtons();
    collapsibleMenu();
    openWideDisclosures();
  });
})();
