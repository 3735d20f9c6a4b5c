/* The back office's enhancements (a file of this site: the admin's CSP allows no inline script).
 *
 * 1. Times in the back office's forms are wall-clock times of the series' zone, said next to
 *    the fields: Django's "You are N hours behind server time" note is not shown.
 * 2. Choosing a speaker in the talk form ("Speakers and roles") fills their latest position and
 *    organisation into the row's empty fields (they stay editable; choosing another speaker
 *    replaces what was filled in, never what the organiser typed). The same happens for a
 *    person just created with the "+" pop-up, whose form asks for both once.
 */
(function () {
  "use strict";

  function silenceTimezoneWarning() {
    if (window.DateTimeShortcuts) {
      window.DateTimeShortcuts.addTimezoneWarning = function () {};
    }
  }

  function detailsUrl(pk) {
    var meta = document.querySelector('meta[name="backoffice-person-details"]');
    if (!meta || !/^\d+$/.test(String(pk))) { return null; }
    return meta.content.replace(/\/0\/details\.json$/, "/" + pk + "/details.json");
  }

  function isPersonSelect(element) {
    return element && element.tagName === "SELECT" && /^participations-(\d+)-person$/.test(element.name);
  }

  // A field may be filled when it is empty or still holds what this script put there for the
  // speaker chosen before (the organiser changed their mind): never over what they typed.
  function mayFill(field) {
    return field && (!field.value || field.value === field.dataset.backofficeFilled);
  }

  function setOrganisation(select, organisation) {
    if (!organisation || !mayFill(select)) { return; }
    select.dataset.backofficeFilled = String(organisation.id);
    var option = Array.prototype.find.call(select.options, function (o) { return o.value === String(organisation.id); });
    if (!option) {
      option = new Option(organisation.text, organisation.id, true, true);
      select.appendChild(option);
    }
    select.value = String(organisation.id);
    if (window.django && window.django.jQuery) {
      window.django.jQuery(select).trigger("change");
    } else {
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function fillRow(select) {
    var initial = select.dataset.backofficeInitial || "";
    if (!select.value || select.value === initial) { return; }
    select.dataset.backofficeInitial = select.value;
    var url = detailsUrl(select.value);
    if (!url) { return; }
    var prefix = select.name.replace(/-person$/, "");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (details) {
        if (!details) { return; }
        var position = document.getElementById("id_" + prefix + "-position");
        if (details.position && mayFill(position)) {
          position.value = details.position;
          position.dataset.backofficeFilled = details.position;
          position.dispatchEvent(new Event("input", { bubbles: true }));
        }
        setOrganisation(document.getElementById("id_" + prefix + "-organisation"), details.organisation);
      })
      .catch(function () { /* the organiser types them: nothing is lost */ });
  }

  function onChange(event) {
    if (isPersonSelect(event.target)) { fillRow(event.target); }
  }

  function start() {
    silenceTimezoneWarning();
    Array.prototype.forEach.call(document.querySelectorAll("select"), function (select) {
      if (isPersonSelect(select)) { select.dataset.backofficeInitial = select.value; }
    });
    // Select2 and the "+" pop-up announce a choice with jQuery's trigger, which native
    // listeners do not hear; a plain select (no JavaScript widgets) does.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(document).on("change", "select", onChange);
    } else {
      document.addEventListener("change", onChange);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
