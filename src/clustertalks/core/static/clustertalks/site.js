// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  function visitorZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return null; }
  }

  // Show the talk time (or a single moment, such as a registration deadline: no data-end) in
  // the visitor's own zone when it differs from the series' zone. The date is written in the
  // visitor's own locale, so it carries that locale's lang (WCAG 3.1.2); the label keeps the
  // page's language.
  function showVisitorTimes() {
    var zone = visitorZone();
    document.querySelectorAll(".visitor-time[data-start]").forEach(function (el) {
      var start = new Date(el.dataset.start);
      var end = el.dataset.end ? new Date(el.dataset.end) : null;
      if (!zone || isNaN(start) || zone === el.dataset.zone) { return; }
      var day = new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
      var clock = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
      var zoned = Object.assign({ timeZoneName: "short" }, clock);
      var text = day.format(start) + ", ";
      if (end && !isNaN(end)) {
        text += new Intl.DateTimeFormat(undefined, clock).format(start) + "–" + new Intl.DateTimeFormat(undefined, zoned).format(end);
      } else {
        text += new Intl.DateTimeFormat(undefined, zoned).format(start);
      }
      var when = document.createElement("span");
      when.lang = day.resolvedOptions().locale;
      when.textContent = text;
      el.textContent = el.dataset.label + " ";
      el.appendChild(when);
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
