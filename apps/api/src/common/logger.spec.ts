import { createLogger } from './logger';

describe('createLogger', () => {
  const capture = (fn: () => void): string[] => {
    const lines: string[] = [];
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
    try {
      fn();
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    return lines;
  };

  it('[G1] writes one JSON object per line by default', () => {
    const [line] = capture(() => createLogger('log', 'json').log('hello', 'Test'));
    expect(JSON.parse(line)).toMatchObject({ level: 'log', message: 'hello', context: 'Test', pid: process.pid });
  });

  it('[G2] drops messages below LOG_LEVEL', () => {
    const lines = capture(() => {
      const logger = createLogger('warn', 'json');
      logger.log('quiet');
      logger.debug('quieter');
      logger.warn('loud');
    });
    expect(lines.map((l) => JSON.parse(l).message)).toEqual(['loud']);
  });

  it('[G3] writes plain text with LOG_FORMAT=pretty', () => {
    const [line] = capture(() => createLogger('log', 'pretty').log('hello', 'Test'));
    expect(line).toContain('[Test] hello');
    expect(() => JSON.parse(line)).toThrow();
  });
});
