// Pre-select the visitor's own time zone in the registration form (optional progressive help).
(function () {
  var select = document.getElementById("id_time_zone");
  if (!select || select.value) return;
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && select.querySelector('option[value="' + zone.replace(/"/g, "") + '"]')) select.value = zone;
  } catch (e) { /* keep the series' zone */ }
})();
