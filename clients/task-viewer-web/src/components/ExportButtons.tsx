/** Export the tasks matching the current filters and sort (GET /api/v1/tasks/export) as a file download. */
import { useState } from 'react';
import type { ExportFormat } from 'task-viewer-client';
import { useApi } from '../lib/api';
import { explain } from '../lib/errors';
import type { ListTasksQuery } from '../lib/types';

const FORMATS: Array<[ExportFormat, string]> = [
  ['csv', 'CSV'],
  ['json', 'JSON'],
  ['md', 'Markdown'],
];

/** Hands a Blob to the browser as a download (an object URL on a temporary link). */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function ExportButtons({ query }: { query: ListTasksQuery }) {
  const { tv } = useApi();
  const [busy, setBusy] = useState<ExportFormat | undefined>();
  const [error, setError] = useState<string | undefined>();
  const run = async (format: ExportFormat) => {
    setBusy(format);
    setError(undefined);
    try {
      const { limit: _limit, offset: _offset, ...filters } = query;
      const download = await tv.exportTasks({ ...filters, format });
      saveBlob(await download.response.blob(), download.filename);
    } catch (err) {
      setError(explain(err).message);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div className="export" role="group" aria-label="Export the filtered tasks">
      <span className="muted small">Export</span>
      {FORMATS.map(([format, label]) => (
        <button key={format} type="button" disabled={busy !== undefined} onClick={() => void run(format)}>
          {busy === format ? '…' : label}
        </button>
      ))}
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
