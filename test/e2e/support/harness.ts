import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { RecordingLogger } from './recording-logger';

/** A started test application and what it logged. */
export interface TestApp {
  app: INestApplication;
  logger: RecordingLogger;
}

const open = new Set<INestApplication>();

/**
 * Compile `metadata` into a real NestJS application (HTTP adapter included) and `init()` it.
 * `customize` may override providers before compiling. Closed by {@link closeApps}.
 */
export async function startApp(
  metadata: ModuleMetadata,
  customize?: (builder: TestingModuleBuilder) => TestingModuleBuilder,
): Promise<TestApp> {
  const { app, logger } = await createApp(metadata, customize);
  await app.init();
  return { app, logger };
}

/** Like {@link startApp} without `init()`, for tests of startup itself. */
export async function createApp(
  metadata: ModuleMetadata,
  customize?: (builder: TestingModuleBuilder) => TestingModuleBuilder,
): Promise<TestApp> {
  const logger = new RecordingLogger();
  let builder = Test.createTestingModule(metadata).setLogger(logger);
  if (customize) builder = customize(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger });
  open.add(app);
  return { app, logger };
}

/** Close every application the tests started (call in `afterEach`). */
export async function closeApps(): Promise<void> {
  const apps = [...open];
  open.clear();
  await Promise.all(apps.map((app) => app.close()));
}
