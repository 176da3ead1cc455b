import { ConsoleLogger } from '@nestjs/common';

/** A logger for tests: prints errors only, so failures stay visible and passing runs stay quiet. */
export function createTestLogger(): ConsoleLogger {
  return new ConsoleLogger({ logLevels: ['error', 'fatal'], colors: false });
}
