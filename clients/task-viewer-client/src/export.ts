/** Reading a file download (`Content-Disposition: attachment; filename=…`) from an export response. */

export type ExportFormat = 'csv' | 'json' | 'ndjson' | 'md';

export interface ExportDownload {
  /** The file name the server suggests (else `<kind>.<format>`). */
  filename: string;
  /** The response's Content-Type. */
  contentType: string;
  /** The response, body unread: `await download.response.text()`, `.blob()` or stream `.body`. */
  response: Response;
}

const EXTENSIONS: Record<ExportFormat, string> = { csv: 'csv', json: 'json', ndjson: 'ndjson', md: 'md' };

/** The file name from a Content-Disposition header (RFC 6266: `filename*` wins over `filename`). */
export function filenameFromDisposition(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim());
    } catch {
      // fall through to the plain parameter
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(header);
  if (quoted) return quoted[1]!.replace(/\\(.)/g, '$1');
  const bare = /filename\s*=\s*([^;\s]+)/.exec(header);
  return bare?.[1];
}

export function toDownload(response: Response, kind: 'tasks' | 'entities', format: ExportFormat): ExportDownload {
  // Only the base name: a server can never make a client write outside its download folder.
  const suggested = filenameFromDisposition(response.headers.get('content-disposition'))?.split(/[\\/]/).pop();
  return {
    filename: suggested || `${kind}.${EXTENSIONS[format]}`,
    contentType: response.headers.get('content-type') ?? 'application/octet-stream',
    response,
  };
}
