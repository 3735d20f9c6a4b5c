// Parse an iCalendar document from stdin with Mozilla's ical.js and print its events as JSON.
// Usage: node icaljs_parse.mjs <path to ical.js's dist/ical.js> < calendar.ics
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const { default: ICAL } = await import(pathToFileURL(process.argv[2]).href);
const root = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));

for (const zone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}

const events = root.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  const utc = (time) => time.convertToZone(ICAL.Timezone.utcTimezone).toString();
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    status: component.getFirstPropertyValue("status"),
    sequence: event.sequence,
    url: component.getFirstPropertyValue("url"),
    zone: event.startDate.zone ? event.startDate.zone.tzid : null,
    start_local: event.startDate.toString(),
    end_local: event.endDate.toString(),
    start_utc: utc(event.startDate),
    end_utc: utc(event.endDate),
  };
});

process.stdout.write(JSON.stringify({
  name: root.getFirstPropertyValue("x-wr-calname"),
  method: root.getFirstPropertyValue("method"),
  timezones: root.getAllSubcomponents("vtimezone").map((zone) => zone.getFirstPropertyValue("tzid")),
  events,
}));
