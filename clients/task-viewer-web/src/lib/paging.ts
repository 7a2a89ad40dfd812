/**
 * Which pages of a long list to fetch: only those under the visible rows (plus the first, which
 * carries `total` and the counts). The list never loads everything; scrolling to row 9,000 fetches
 * page 90 and not the 89 before it.
 */
export const PAGE_SIZE = 100;

export function pagesFor(firstIndex: number, lastIndex: number, pageSize = PAGE_SIZE): number[] {
  if (lastIndex < firstIndex) return [0];
  const first = Math.max(0, Math.floor(firstIndex / pageSize));
  const last = Math.max(first, Math.floor(lastIndex / pageSize));
  const pages = new Set([0]);
  for (let p = first; p <= last; p++) pages.add(p);
  return [...pages].sort((a, b) => a - b);
}
