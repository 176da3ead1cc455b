/** A library error about the contents of an input file (model or notes), kept with the file's name and text so the report can point at the line. */
export class InputFileError extends Error {
  constructor(
    readonly file: string,
    readonly text: string,
    override readonly cause: unknown,
  ) {
    super(`${file}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'InputFileError';
  }
}
