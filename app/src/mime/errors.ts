/** Errors of the MIME module: a stable code plus a sentence saying what was wrong and what to do. */
export class MimeError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'MimeError';
    this.code = code;
  }
}
