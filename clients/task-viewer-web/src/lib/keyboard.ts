/**
 * Global keyboard shortcuts: `/` search, `j`/`k` move, `Enter` open, `n` new task, `e` edit, `b` board,
 * `g` graph, `l` list, `?` help, `Esc` closes the side panel (a dialog closes itself). Keys typed into a field, or with a modifier, are left alone.
 */
import { useEffect, useRef } from 'react';

export type Shortcut = '/' | 'j' | 'k' | 'Enter' | 'n' | 'e' | 'b' | 'g' | 'l' | '?' | 'Escape';

export const SHORTCUTS: Array<{ keys: string; action: string }> = [
  { keys: '/', action: 'Search tasks' },
  { keys: 'j / k', action: 'Next / previous task in the list' },
  { keys: 'Enter', action: 'Open the selected task' },
  { keys: 'n', action: 'New task' },
  { keys: 'e', action: 'Edit the open task' },
  { keys: 'b', action: 'Board' },
  { keys: 'l', action: 'Task list' },
  { keys: 'g', action: 'Dependency graph' },
  { keys: 'Esc', action: 'Close the panel or dialog' },
  { keys: '?', action: 'This help' },
];

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
  }
  return false;
}

export function isShortcut(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): Shortcut | undefined {
  if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return undefined;
  // Enter on a button or link already does what the element says.
  const el = event.target as HTMLElement | null;
  if (event.key === 'Enter' && el && el.tagName && ['BUTTON', 'A', 'SUMMARY'].includes(el.tagName)) return undefined;
  // Inside an open modal dialog only the dialog's own keys count.
  if (typeof document !== 'undefined' && document.querySelector('dialog[open]')) return undefined;
  return (['/', 'j', 'k', 'Enter', 'n', 'e', 'b', 'g', 'l', '?', 'Escape'] as const).find((k) => k === event.key);
}

/** Calls `handler` for each shortcut; the latest handler is used without re-subscribing. */
export function useShortcuts(handler: (key: Shortcut, event: KeyboardEvent) => void) {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const key = isShortcut(event);
      if (key) ref.current(key, event);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
