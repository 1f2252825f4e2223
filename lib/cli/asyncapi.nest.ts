import type { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createAsyncApiDocument } from '../nest/asyncapi/asyncapi.document';
import { asyncApiToJson, asyncApiToYaml } from '../nest/asyncapi/asyncapi.output';
import { isApplication } from './asyncapi.exports';

/**
 * The AsyncAPI document of root modules, as text: each module is compiled in NestJS's preview
 * mode (nothing instantiated, nothing connected), then read by `createAsyncApiDocument`;
 * applications the file created are read as they are.
 */
export async function documentOfModules(
  modules: readonly unknown[],
  options: { title?: string; version?: string; format: 'json' | 'yaml' },
): Promise<string> {
  const apps: INestApplicationContext[] = [];
  for (const module of modules) {
    if (isApplication(module)) {
      apps.push(module as INestApplicationContext);
      continue;
    }
    apps.push(
      await NestFactory.createApplicationContext(module as Type | DynamicModule, {
        preview: true,
        logger: false,
        abortOnError: false,
      }),
    );
  }
  const document = createAsyncApiDocument(apps, { title: options.title, version: options.version });
  return options.format === 'yaml' ? asyncApiToYaml(document) : asyncApiToJson(document);
}
