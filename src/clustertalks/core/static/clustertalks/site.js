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

  document.addEventListener("DOMContentLoaded", function () {
    showVisitorTimes();
    enableCopyButtons();
  });
})();
