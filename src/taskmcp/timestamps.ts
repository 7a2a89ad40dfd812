/**
 * task-mcp's timestamps: Python `datetime.now().isoformat()`, local wall-clock time, no offset, 6-digit
 * microseconds (`YYYY-MM-DDTHH:MM:SS.ffffff`). Arithmetic (`now - timedelta(days=n)`) is on the naive wall
 * clock. Also the conversion of an ISO 8601 instant (with an offset) into that stored form, for filters.
 */

const p2 = (n: number) => String(n).padStart(2, '0');

/** Microseconds since the epoch, with sub-millisecond resolution from the monotonic clock. */
function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

/** An instant (microseconds since the epoch) as this process's local wall clock, same unit. */
function wallMicrosAt(us: number): number {
  const ms = Math.floor(us / 1000);
  const d = new Date(ms);
  const wallMs = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds());
  return wallMs * 1000 + (us - ms * 1000);
}

/** Naive local wall clock as "microseconds since 1970-01-01T00:00 wall time". */
function localWallMicros(): number {
  return wallMicrosAt(nowMicros());
}

function formatWall(wallUs: number): string {
  const ms = Math.floor(wallUs / 1000);
  const micro = wallUs - Math.floor(wallUs / 1_000_000) * 1_000_000;
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (year < 1 || year > 9999) throw new Error('date value out of range');
  return (
    `${String(year).padStart(4, '0')}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}` +
    `T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(micro).padStart(6, '0')}`
  );
}

export function nowIso(): string {
  return formatWall(localWallMicros());
}

/** `(datetime.now() - timedelta(days=days)).isoformat()`. */
export function nowMinusDaysIso(days: number): string {
  return formatWall(localWallMicros() - days * 86_400_000_000);
}

/** Both ends of a range from one clock reading, like `end = now(); start = end - timedelta(days)`. */
export function rangeIso(days: number): { start: string; end: string } {
  const end = localWallMicros();
  return { start: formatWall(end - days * 86_400_000_000), end: formatWall(end) };
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/**
 * An ISO 8601 instant with an offset or Z (`2025-01-31T12:00:00Z`, `…T13:00:00.5+01:00`) as the stored
 * local form `YYYY-MM-DDTHH:MM:SS.ffffff` of this process's time zone; null when it is not one.
 */
export function localIsoFromInstant(text: string): string | null {
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => Number(x ?? 0));
  const micros = Number((m[7] ?? '').padEnd(6, '0').slice(0, 6) || '0');
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const utcMs = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utcMs);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return null; // e.g. February 30
  let offsetMin = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const instantUs = (utcMs - offsetMin * 60_000) * 1000 + micros;
  try {
    return formatWall(wallMicrosAt(instantUs));
  } catch {
    return null; // outside years 1..9999 locally
  }
}
