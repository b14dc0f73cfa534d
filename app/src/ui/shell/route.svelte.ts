// The current screen, kept in the URL hash so a teacher can share a link to it.
export type Screen = 'console' | 'studio' | 'lessons' | 'replay' | 'dns' | 'trace' | 'queue' | 'teacher';
export const SCREENS: Array<{ id: Screen; label: string }> = [
  { id: 'console', label: 'Console' },
  { id: 'studio', label: 'MIME studio' },
  { id: 'lessons', label: 'Lessons' },
  { id: 'replay', label: 'Replay' },
  { id: 'dns', label: 'DNS' },
  { id: 'trace', label: 'Trace' },
  { id: 'queue', label: 'Queue' },
];

function screenOf(hash: string): Screen {
  const first = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  if (first === 'lesson') return 'lessons';
  if (first === 'teacher') return 'teacher'; // the classroom's teacher page: not in the nav, linked from the class bar
  return (SCREENS.find((s) => s.id === first)?.id ?? 'console') as Screen;
}

class Route {
  hash = $state(typeof location === 'undefined' ? '' : location.hash);
  screen = $derived(screenOf(this.hash));
  constructor() {
    if (typeof window !== 'undefined') window.addEventListener('hashchange', () => (this.hash = location.hash));
  }
  go(hash: string) {
    location.hash = hash;
  }
}
export const route = new Route();
