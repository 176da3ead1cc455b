/** Why the CLI refused its input. Every one is the user's to fix, so it exits with 2 and a message, never a stack trace. */
export type CliInputErrorCode =
  | 'USAGE'
  | 'FILE_UNREADABLE'
  | 'FILE_TOO_LARGE'
  | 'UNKNOWN_FORMAT'
  | 'UNKNOWN_SCENARIO'
  | 'SCENARIOS_UNAVAILABLE'
  | 'OUTPUT_UNWRITABLE';

export class CliInputError extends Error {
  constructor(
    readonly code: CliInputErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliInputError';
  }
}

/** Exit codes: 0 done (a low score is still a grade), 2 bad input, 1 a bug in hatch. */
export const EXIT = { ok: 0, internal: 1, badInput: 2 } as const;
