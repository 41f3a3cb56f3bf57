/**
 * Read a lifecycle `Date` (an ISO 8601 date-time: `2027-01-01T00:00:00Z`, `…00.000Z`, `…00+01:00`; no zone means
 * UTC). Returns undefined for anything else (the caller answers MalformedXML: the schema's timestamp does not fit).
 */
export function parseLifecycleDate(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?$/.exec(text.trim());
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const millis = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const moment = new Date(0);
  moment.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years 0–99 as 1900–1999
  moment.setUTCHours(hour, minute, second, millis);
  if (moment.getUTCDate() !== day) return undefined; // 2027-02-30
  const utc = moment.getTime();
  const zone = m[8] ?? 'Z';
  const offsetMinutes = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return new Date(utc - offsetMinutes * 60_000);
}
