import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { EventRegistry } from '../../core/event.registry';
import type { MessageClass } from '../../core/message';
import { BuslineClient } from '../busline.client';
import { BUSLINE_LOGGER_CONTEXT, BUSLINE_MODULE_OPTIONS } from '../busline.constants';
import { createAsyncApiDocument } from '../asyncapi/asyncapi.document';
import { asyncApiToJson, asyncApiToYaml } from '../asyncapi/asyncapi.output';
import type { AsyncApiDocument } from '../asyncapi/asyncapi.types';
import type { BuslineModuleOptions } from '../interfaces/busline-module-options.interface';
import { FlowAppProbe } from './flow-app.probe';
import { flowGraph, type FlowApp, type FlowGraph, type FlowMessage } from './flow-model';
import { flowPageHtml } from './flow-page.html';
import { flowRegistry } from './flow-registry';
import { flowDeclarations, type FlowDeclarations } from './flow-declarations';

/** @internal Default refresh interval of an open page, in ms. */
export const DEFAULT_FLOW_PAGE_REFRESH = 1_000;

/** @internal What `<path>/flow.json` answers. */
export interface FlowDocument {
  readonly generatedAt: string;
  /** The application that serves the page. */
  readonly self: string;
  readonly apps: readonly FlowApp[];
  readonly graph: FlowGraph;
  readonly downloads: readonly { readonly label: string; readonly href: string }[];
}

/** The request/response objects of the HTTP adapter are opaque here. */
type Handler = (request: unknown, response: unknown) => void;

/**
 * @internal The flow page of an application. Every Busline application registers its flow in the
 * process-wide registry at bootstrap, page or not (a reference; nothing is counted). With the
 * `flowPage` option and an HTTP adapter, it also serves the page and its data, and counting starts
 * in every application of the process; without an HTTP adapter it says so at startup.
 */
@Injectable()
export class FlowPageServer implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BUSLINE_LOGGER_CONTEXT);
  private readonly probe: FlowAppProbe;
  private closePage: (() => void) | undefined;
  private serving = false;
  private base = '';

  constructor(
    @Inject(BUSLINE_MODULE_OPTIONS) private readonly options: BuslineModuleOptions,
    client: BuslineClient,
    private readonly adapterHost: HttpAdapterHost,
    moduleRef: ModuleRef,
  ) {
    const id = flowRegistry.nextId();
    // What createAsyncApiDocument() reads of an application, from inside it.
    const context = {
      get: (token: unknown) => moduleRef.get(token as string, { strict: false }),
    } as INestApplicationContext;
    let declarations: FlowDeclarations | undefined;
    let failed = false;
    this.probe = new FlowAppProbe(
      id,
      options.identifier ?? `Busline application ${id.slice(4)}`,
      client,
      options,
      describeMessage,
      // Read when a page first asks, not at startup: without a page it costs nothing.
      () => {
        if (declarations !== undefined || failed) return declarations;
        try {
          declarations = flowDeclarations(createAsyncApiDocument(context));
        } catch (error) {
          failed = true;
          this.logger.warn(
            `flowPage: cannot read the AsyncAPI document of ${this.probe.name}, so the page ` +
              `shows only what runs: ${(error as Error).message}`,
          );
        }
        return declarations;
      },
      context,
    );
  }

  onModuleInit(): void {
    const page = this.options.flowPage;
    if (page === undefined) return;
    const adapter = this.adapterHost.httpAdapter;
    if (adapter === undefined || adapter === null) {
      this.logger.warn(
        `flowPage: this application has no HTTP server (it is an application context), so it ` +
          `cannot serve ${page.path}. Its flow shows on the page of any application of this ` +
          'process that serves one; to serve it here, create it with NestFactory.create().',
      );
      return;
    }
    const base = page.path.replace(/\/+$/, '');
    const html = flowPageHtml({
      base,
      refreshInterval: page.refreshInterval ?? DEFAULT_FLOW_PAGE_REFRESH,
    });
    const route = (path: string, type: string, body: () => string): void => {
      const handler: Handler = (_request, response) => {
        let text: string;
        try {
          text = body();
        } catch (error) {
          this.logger.error(`flowPage: ${path} failed: ${(error as Error).message}`);
          adapter.setHeader(response, 'Content-Type', 'text/plain; charset=utf-8');
          adapter.reply(response, `${path} failed: ${(error as Error).message}\n`, 500);
          return;
        }
        adapter.setHeader(response, 'Content-Type', type);
        adapter.setHeader(response, 'Cache-Control', 'no-store');
        adapter.reply(response, text, 200);
      };
      adapter.get(path, handler);
    };
    route(base === '' ? '/' : base, 'text/html; charset=utf-8', () => html);
    route(`${base}/flow.json`, 'application/json; charset=utf-8', () =>
      JSON.stringify(this.document()),
    );
    const asyncApi = (render: (document: AsyncApiDocument) => string) => (): string =>
      render(createAsyncApiDocument(flowRegistry.contexts()));
    route(`${base}/asyncapi.json`, 'application/json; charset=utf-8', asyncApi(asyncApiToJson));
    route(`${base}/asyncapi.yaml`, 'application/yaml; charset=utf-8', asyncApi(asyncApiToYaml));
    this.base = base;
    this.serving = true;
  }

  onApplicationBootstrap(): void {
    flowRegistry.add(this.probe);
    if (this.serving) {
      this.closePage = flowRegistry.openPage();
      this.logger.log(`Flow page served at ${this.options.flowPage!.path}`);
    }
  }

  onApplicationShutdown(): void {
    this.closePage?.();
    this.closePage = undefined;
    flowRegistry.remove(this.probe);
  }

  /** The flow of every application of the process, as `<path>/flow.json` answers it. */
  document(): FlowDocument {
    const apps = flowRegistry.describe();
    return {
      generatedAt: new Date().toISOString(),
      self: this.probe.id,
      apps,
      graph: flowGraph(apps),
      downloads: [
        { label: 'AsyncAPI (JSON)', href: `${this.base}/asyncapi.json` },
        { label: 'AsyncAPI (YAML)', href: `${this.base}/asyncapi.yaml` },
      ],
    };
  }
}

/** A registered message type with what the page can tell of it without AsyncAPI. */
function describeMessage(name: string): FlowMessage | undefined {
  let messageClass: MessageClass;
  try {
    messageClass = new EventRegistry().retrieveClass(name);
  } catch {
    return undefined;
  }
  const schema = (messageClass as { schema?: unknown }).schema;
  let example: unknown;
  try {
    const instance = new (messageClass as unknown as new () => object)();
    example = JSON.parse(JSON.stringify(instance)) as unknown;
  } catch {
    example = undefined;
  }
  return { name, schema, example };
}
