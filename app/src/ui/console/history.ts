// Command-line history for the console input: up/down walk through what was sent, like a shell.
export class CommandHistory {
  private entries: string[] = [];
  private cursor = 0;
  private draft = '';

  push(line: string): void {
    if (line.length > 0 && this.entries[this.entries.length - 1] !== line) this.entries.push(line);
    this.cursor = this.entries.length;
    this.draft = '';
  }

  /** Older entry; `current` is what the input holds now, kept as the draft when leaving it. */
  up(current: string): string {
    if (this.cursor === this.entries.length) this.draft = current;
    if (this.cursor > 0) this.cursor--;
    return this.entries[this.cursor] ?? current;
  }

  down(): string {
    if (this.cursor < this.entries.length) this.cursor++;
    return this.cursor === this.entries.length ? this.draft : this.entries[this.cursor];
  }
}
