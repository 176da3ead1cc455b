/** One problem in a notes file; `line` is 1-based, null when it concerns the whole file. */
export interface NotesProblem {
  line: number | null;
  message: string;
}

/** A notes file the CLI cannot use: every problem found, each with its line. */
export class NotesError extends Error {
  readonly code = 'NOTES_INVALID' as const;

  constructor(readonly problems: readonly NotesProblem[]) {
    if (problems.length === 0) throw new TypeError('NotesError needs at least one problem');
    super(problems.map((p) => (p.line === null ? p.message : `line ${p.line}: ${p.message}`)).join('; '));
    this.name = 'NotesError';
  }
}
