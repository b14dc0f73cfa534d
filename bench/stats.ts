// The one median of the benches: the middle value, or the mean of the two middle values of an even
// count (taking the upper one favoured whichever path had one run fewer counted). No Node APIs:
// the browser benches bundle it too.
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
