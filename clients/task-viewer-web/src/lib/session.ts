/**
 * What the browser keeps: the API key in sessionStorage (gone when the tab closes, never in the URL,
 * never fetched by the page itself), and, in localStorage, the last project and the theme choice.
 */
const KEY = 'task-viewer.api-key';
const LAST_PROJECT = 'task-viewer.last-project';
const THEME = 'task-viewer.theme';

function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback; // storage disabled (private mode, sandboxed frame)
  }
}

export const storedKey = (): string | null => safely(() => sessionStorage.getItem(KEY), null);
export const storeKey = (key: string) => safely(() => sessionStorage.setItem(KEY, key), undefined);
export const forgetKey = () => safely(() => sessionStorage.removeItem(KEY), undefined);

export const lastProject = (): string | null => safely(() => localStorage.getItem(LAST_PROJECT), null);
export const rememberProject = (id: string) => safely(() => localStorage.setItem(LAST_PROJECT, id), undefined);

export type ThemeChoice = 'system' | 'light' | 'dark';
export const storedTheme = (): ThemeChoice => {
  const value = safely(() => localStorage.getItem(THEME), null);
  return value === 'light' || value === 'dark' ? value : 'system';
};
export const storeTheme = (choice: ThemeChoice) => safely(() => (choice === 'system' ? localStorage.removeItem(THEME) : localStorage.setItem(THEME, choice)), undefined);
