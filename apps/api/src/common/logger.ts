import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { type AppLogLevel, LOG_LEVELS, type LogFormat } from '../config/app-config';

/** Nest's console logger: one JSON object per line by default, human-readable with LOG_FORMAT=pretty. */
export function createLogger(level: AppLogLevel, format: LogFormat): ConsoleLogger {
  const logLevels: LogLevel[] = LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
  return format === 'json'
    ? new ConsoleLogger({ json: true, logLevels, colors: false })
    : new ConsoleLogger({ logLevels, colors: process.stdout.isTTY === true, prefix: 'Hatch' });
}
