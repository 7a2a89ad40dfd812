/**
 * Python `datetime.now().isoformat()`: local wall-clock time, no offset, 6-digit microseconds
 * (`YYYY-MM-DDTHH:MM:SS.ffffff`). Arithmetic (`now - timedelta(days=n)`) is on the naive wall clock.
 */

const p2 = (n: number) => String(n).padStart(2, '0');

/** Microseconds since the epoch, with sub-millisecond resolution from the monotonic clock. */
function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

/** Naive local wall clock as "microseconds since 1970-01-01T00:00 wall time". */
function localWallMicros(): number {
  const us = nowMicros();
  const ms = Math.floor(us / 1000);
  const d = new Date(ms);
  const wallMs = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds());
  return wallMs * 1000 + (us % 1000);
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
