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

  document.addEventListener("DOMContentLoaded", function () {
    showVisitorTimes();
    enableCopyButtons();
  });
})();
