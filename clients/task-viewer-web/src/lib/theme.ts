/** Dark mode: follows the system (prefers-color-scheme) unless the user picked light or dark. */
import { useCallback, useEffect, useState } from 'react';
import { type ThemeChoice, storeTheme, storedTheme } from './session';

export function applyTheme(choice: ThemeChoice) {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

const systemDark = () => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;

export function useTheme() {
  const [choice, setChoice] = useState<ThemeChoice>(storedTheme);
  const [dark, setDark] = useState(() => (choice === 'system' ? systemDark() : choice === 'dark'));
  useEffect(() => {
    applyTheme(choice);
    storeTheme(choice);
    if (choice !== 'system') return setDark(choice === 'dark');
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const update = () => setDark(media.matches);
    update();
    media.addEventListener('change', update);
    return () => media.removeEventListener('change', update);
  }, [choice]);
  /** System -> the opposite of what shows now -> back to the system. */
  const toggle = useCallback(() => setChoice((c) => (c === 'system' ? (systemDark() ? 'light' : 'dark') : 'system')), []);
  return { choice, dark, toggle, setChoice };
}
