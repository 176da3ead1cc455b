import type { AddressInfo } from 'node:net';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { loadScenarioLibrary } from '@hatch/scenarios';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { AppModule } from './app.module';
import { bodyParserErrorMapper } from './common/body-parser-errors';
import { createLogger } from './common/logger';
import { type AppConfig, describeDatabase, describeInterviewer, type Env, loadConfig } from './config/app-config';
import { readAppVersion } from './config/paths';
import { resolveSigningSecret } from './config/signing-secret';
import { Database } from './database/database';
import { serveWebClient } from './web/web-client';

export const JSON_BODY_LIMIT = '100kb';
export const DOCS_PATH = 'docs';

export interface CreateAppOptions {
  /** The environment to configure from, used as is (not merged into process.env). Default: process.env. */
  env?: Env;
  /** Base for relative paths in the environment. Default: process.cwd(). */
  cwd?: string;
  /** Replaces the logger LOG_LEVEL/LOG_FORMAT would build. */
  logger?: LoggerService;
}

export interface HatchApp {
  readonly app: NestExpressApplication;
  readonly config: AppConfig;
  /** Where it listens, e.g. `http://127.0.0.1:41234` (the real port when PORT=0). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Boots Hatch in order, failing fast: configuration → scenario library → signing key → database
 * (embedded start, lock, migrations) → Nest app → listen. Whatever was opened is closed again when a
 * later step fails.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<HatchApp> {
  const envConfig = loadConfig(options.env ?? process.env, options.cwd);
  const logger = options.logger ?? createLogger(envConfig.logLevel, envConfig.logFormat);
  const scenarios = loadScenarioLibrary(envConfig.scenariosDir);
  const config: AppConfig = { ...envConfig, secret: await resolveSigningSecret(envConfig.secret, envConfig.dataDir, logger) };
  const database = await Database.open(config.database, logger);

  let app: NestExpressApplication | undefined;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.register({ config, database, scenarios }), {
      logger,
      abortOnError: false,
      bodyParser: false,
      // Closing waits for nothing left open: by then the rooms and sockets are drained, and an idle keep-alive
      // or a browser's preconnect (no request yet) would otherwise hold close() until the 60 s headers timeout.
      forceCloseConnections: true,
    });
    app.disable('x-powered-by');
    app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
    app.use(bodyParserErrorMapper(JSON_BODY_LIMIT));
    app.setGlobalPrefix('api');
    setUpOpenApi(app);
    serveWebClient(app, config.webDistDir, logger);
    await app.listen(config.port, config.host);
  } catch (error) {
    if (app) await app.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }

  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.log(
    `Hatch ${readAppVersion()} listening on ${url} — database: ${describeDatabase(config.database)} — interviewer: ${describeInterviewer(config.interviewer)} — docs: /${DOCS_PATH}`,
    'Hatch',
  );
  const nest = app;
  return { app: nest, config, url, close: () => nest.close() };
}

function setUpOpenApi(app: NestExpressApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Hatch API')
      .setDescription('Sessions, scenarios and health of Hatch. Errors are RFC 9457 problem details.')
      .setVersion(readAppVersion())
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A join token' })
      .build(),
  );
  SwaggerModule.setup(DOCS_PATH, app, cleanupOpenApiDoc(document));
}
