/**
 * Strong ETags over a representation's JSON, and the If-None-Match / If-Match comparisons (RFC 9110).
 * Layer-neutral: the HTTP edge answers conditional GETs with them, the write models check If-Match.
 */
import { createHash } from 'node:crypto';

export function etagOf(value: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 27)}"`;
}

function tags(header: string): string[] {
  return header.split(',').map((t) => t.trim()).filter(Boolean);
}

/** If-None-Match uses weak comparison: W/"x" matches "x". */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return true;
  const strip = (t: string) => t.replace(/^W\//, '');
  return !tags(header).some((t) => t === '*' || strip(t) === strip(etag));
}

/** Whether an If-Match header lets a write proceed on a resource with `etag` (strong comparison; `*` is any). */
export function ifMatchAllows(header: string, etag: string): boolean {
  const wanted = tags(header);
  return wanted.includes('*') || wanted.includes(etag);
}

/** A GET reply with an ETag: 304 without a body when If-None-Match still names it. */
export function conditionalGet<T>(
  ifNoneMatch: string | undefined,
  body: T,
  etag = etagOf(body),
): { status: 200; body: T; headers: { ETag: string } } | { status: 304; body: undefined; headers: { ETag: string } } {
  return noneMatch(ifNoneMatch, etag) ? { status: 200, body, headers: { ETag: etag } } : { status: 304, body: undefined, headers: { ETag: etag } };
}
