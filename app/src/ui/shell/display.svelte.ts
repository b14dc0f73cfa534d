// How the app looks: light or dark theme (following the system until the learner picks one) and
// presenter mode (large type, high contrast for a projector). Remembered in localStorage; applied
// as data attributes on <html>, which global.css turns into CSS variables.

export type Theme = 'light' | 'dark';
const THEME_KEY = 'mailwire.theme';
const PRESENTER_KEY = 'mailwire.presenter';

function stored(key: string): string | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage.getItem(key);
  } catch {
    return null; // storage blocked (private mode): fall back to defaults
  }
}
function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* not remembered, still applied */
  }
}

function systemTheme(): Theme {
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

class Display {
  /** The learner's own choice; null follows prefers-color-scheme. */
  chosen = $state<Theme | null>(null);
  system = $state<Theme>('light');
  presenter = $state(false);
  theme = $derived<Theme>(this.chosen ?? this.system);

  constructor() {
    const t = stored(THEME_KEY);
    this.chosen = t === 'light' || t === 'dark' ? t : null;
    this.presenter = stored(PRESENTER_KEY) === 'on';
    this.system = systemTheme();
    if (typeof matchMedia !== 'undefined') {
      matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => (this.system = systemTheme()));
    }
  }

  toggleTheme(): void {
    this.chosen = this.theme === 'dark' ? 'light' : 'dark';
    store(THEME_KEY, this.chosen);
  }

  togglePresenter(): void {
    this.presenter = !this.presenter;
    store(PRESENTER_KEY, this.presenter ? 'on' : 'off');
  }

  /** Mirrors the settings onto <html> so CSS can follow them. */
  apply(root: HTMLElement): void {
    root.dataset.theme = this.theme;
    if (this.presenter) root.dataset.presenter = 'on';
    else delete root.dataset.presenter;
    root.style.colorScheme = this.theme;
  }
}

export const display = new Display();

/** The app-wide shortcuts, listed in the header's help. */
export const SHORTCUTS: Array<{ keys: string; does: string }> = [
  { keys: 'F8', does: 'presenter mode on/off' },
  { keys: 'Ctrl+Shift+D', does: 'light/dark theme' },
  { keys: 'Ctrl+L', does: 'focus the command input (console)' },
  { keys: 'Enter / ↑ / ↓ / Tab', does: 'send, history, complete (in the input)' },
];
