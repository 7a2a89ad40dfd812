/** Small shared pieces: badges, loading / empty / error states (with retry), dialogs, the markdown view. */
import { Component, type ErrorInfo, type ReactNode, Suspense, lazy, useEffect, useId, useRef } from 'react';
import { explain } from '../lib/errors';
import { PRIORITY_LABELS, type Priority, STATUS_LABELS, type TaskStatus } from '../lib/types';

export function StatusBadge({ status }: { status: TaskStatus }) {
  return <span className={`badge status-${status}`}>{STATUS_LABELS[status]}</span>;
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  return <span className={`badge priority-${priority}`}>{PRIORITY_LABELS[priority]}</span>;
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state empty">{children}</div>;
}

export function ErrorState({ error, retry, what = 'This' }: { error: unknown; retry?: (() => void) | undefined; what?: string }) {
  const e = explain(error);
  return (
    <div className="state error" role="alert">
      <p>
        <strong>{what} could not be loaded.</strong> {e.message}
      </p>
      {e.detail && <p className="detail">{e.detail}</p>}
      {retry && (
        <button type="button" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** A modal dialog (the native `<dialog>`: focus stays inside, Esc closes). Render it only while open. */
export function Dialog({ title, onClose, children, wide = false }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    // No `close` listener: the unmount cleanup closes the dialog too (twice in StrictMode), and that
    // must not count as the user closing it. Esc arrives as `cancel`; every button calls onClose.
    <dialog
      ref={ref}
      className={wide ? 'wide' : undefined}
      aria-labelledby={id}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-head">
        <h2 id={id}>{title}</h2>
        <button type="button" className="icon" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
}

const MarkdownBody = lazy(() => import('./MarkdownBody'));

/** A task or entity description as sanitised markdown (the renderer is its own chunk, loaded on first use). */
export function Markdown({ text }: { text: string | null }) {
  if (!text) return <p className="muted">No description.</p>;
  return (
    <Suspense fallback={<pre className="markdown-fallback">{text}</pre>}>
      <MarkdownBody text={text} />
    </Suspense>
  );
}

export function formatTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function Time({ value }: { value: string | null | undefined }) {
  if (!value) return <span className="muted">—</span>;
  return (
    <time dateTime={value} title={new Date(value).toISOString()}>
      {formatTime(value)}
    </time>
  );
}

/**
 * A screen that fails to render (an answer of an unexpected shape, a bug) shows what happened with a
 * way out, instead of taking the whole page down. Keyed by the route, so navigating away resets it.
 */
export class ScreenBoundary extends Component<{ children: ReactNode }, { error: Error | undefined }> {
  override state: { error: Error | undefined } = { error: undefined };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.warn('screen failed to render', error, info.componentStack);
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <main id="main" className="page">
        <div className="state error" role="alert">
          <p>
            <strong>This screen could not be shown.</strong> {this.state.error.message}
          </p>
          <p className="detail">If the service was updated, a reload loads the matching viewer.</p>
          <button type="button" onClick={() => this.setState({ error: undefined })}>
            Retry
          </button>{' '}
          <button type="button" onClick={() => window.location.reload()}>
            Reload the page
          </button>
        </div>
      </main>
    );
  }
}
