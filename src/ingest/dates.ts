/**
 * Date checks for ingest: a `YYYY-MM-DD` must be a real calendar day (no 2024-02-30, no month 13);
 * dates from page metadata may carry a time and zone, of which the calendar day as written is kept.
 */

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A date at the start of an ISO timestamp: "2024-03-05T10:00:00+05:00" → 2024-03-05. */
const ISO_PREFIX = /^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])/;

function validDay(y: number, m: number, d: number): boolean {
  if (y < 1000 || m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/**
 * True when `s` is exactly `YYYY-MM-DD` and names a real day.
 *
 * @example isValidDay('2024-02-29') // true;  isValidDay('2023-02-29') // false
 */
export function isValidDay(s: string): boolean {
  const m = ISO_DAY.exec(s);
  return m !== null && validDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * The calendar day of a record's or page's date: `YYYY-MM-DD`, an ISO timestamp (the day as written,
 * not shifted to UTC), or another form Date.parse understands ("March 5, 2024"). Null when none.
 *
 * @example dayOf('2024-03-05T23:30:00-04:00') // '2024-03-05'
 */
export function dayOf(s: string): string | null {
  const m = ISO_PREFIX.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return validDay(y, mo, d) ? `${m[1]}-${m[2]}-${m[3]}` : null;
  }
  if (s.length > 64 || !/[a-z]/i.test(s) || !/\d{4}/.test(s)) return null;
  const t = Date.parse(s);
  if (Number.isNaN(t)) return null;
  const dt = new Date(t);
  const y = dt.getUTCFullYear();
  return y < 1000 || y > 9999 ? null : `${pad(y, 4)}-${pad(dt.getUTCMonth() + 1, 2)}-${pad(dt.getUTCDate(), 2)}`;
}
