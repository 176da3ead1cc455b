/** What a command may touch of its process: streams, environment and working folder. Tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads all of standard input (for `-` as the file). */
  readStdin: () => Promise<string>;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Whether stdout is a terminal: colors only then. */
  stdoutIsTty: boolean;
  /** Terminal width for wrapping, when stdout is a terminal. */
  columns?: number;
}

/** The real process. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: () => readStream(process.stdin),
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTty: process.stdout.isTTY === true,
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  };
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Colors follow https://no-color.org: on a terminal unless NO_COLOR is set (non-empty); FORCE_COLOR forces them. */
export function useColor(io: CliIo): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  if (io.env.NO_COLOR) return false;
  return io.stdoutIsTty && io.env.TERM !== 'dumb';
}
