import { Injectable } from '@nestjs/common';
import { DiscoveryService, ExternalContextCreator, MetadataScanner } from '@nestjs/core';
import { BuslineMetadataAccessor, type SubscribedMethod } from './busline-metadata.accessor';
import { BuslineConfigurationError } from './errors/busline-configuration.error';
import { createHandlerCall, type HandlerCall } from './handler-pipeline';

/** @internal A `@Subscribe` method found on a provider or controller instance. */
export interface DiscoveredMethod extends SubscribedMethod {
  readonly instance: object;
  /** `ClassName.method`, as logged and reported. */
  readonly binding: string;
}

/** @internal A discovered `@Subscribe` method, ready to be called. */
export interface DiscoveredHandler extends DiscoveredMethod {
  /** Calls the method on its instance through Nest's pipeline (guards, interceptors...). */
  readonly call: HandlerCall;
}

/** @internal A provider or controller class of the application, for read-only tools. */
export interface DiscoveredClass {
  readonly className: string;
  readonly prototype: object;
  readonly methodNames: readonly string[];
}

type InstanceWrapper = ReturnType<DiscoveryService['getProviders']>[number];

/**
 * @internal Finds the `@Subscribe` methods of the application's providers and controllers. Each
 * instance counts once (an alias made with `useExisting` is the same instance). Request-scoped
 * providers (or those depending on one) are rejected, as events arrive outside any request, and
 * so are transient ones, which have no single instance to call. Reads metadata only: what
 * read-only tools (the AsyncAPI document) use, on a running application or a preview one.
 */
export class BuslineDiscovery {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly accessor: BuslineMetadataAccessor,
  ) {}

  /**
   * The `@Subscribe` methods, metadata and instance only (no pipeline is made): what read-only
   * tools need, and all an application created with `{ preview: true }` has.
   */
  discover(): DiscoveredMethod[] {
    const seen = new Set<object>();
    const handlers: DiscoveredMethod[] = [];
    for (const { wrapper, prototype, className } of this.wrappers()) {
      const methods = this.accessor.subscribedMethods(
        prototype,
        this.scanner.getAllMethodNames(prototype),
      );
      if (methods.length === 0) continue;
      if (!wrapper.isDependencyTreeStatic()) {
        throw new BuslineConfigurationError(
          `${className}.${methods[0].name} has @Subscribe(), but ${className} is request-scoped ` +
            '(Scope.REQUEST, or it injects a request-scoped provider). Events arrive outside any ' +
            'request, so Busline cannot pick an instance: make the provider a singleton (the ' +
            'default scope) or move the handler to a singleton that resolves what it needs with ' +
            'ModuleRef.resolve().',
        );
      }
      if (wrapper.isTransient) {
        throw new BuslineConfigurationError(
          `${className}.${methods[0].name} has @Subscribe(), but ${className} is transient ` +
            '(Scope.TRANSIENT): every injection gets its own instance, so Busline cannot pick one. ' +
            'Make the provider a singleton (the default scope) or move the handler to one.',
        );
      }
      const instance = wrapper.instance as object | undefined;
      if (instance === undefined || instance === null) {
        throw new BuslineConfigurationError(
          `${className}.${methods[0].name} has @Subscribe(), but NestJS has no instance of ` +
            `${className} (is it lazily loaded?). Subscribe on a provider of a module the application imports.`,
        );
      }
      if (seen.has(instance)) continue;
      seen.add(instance);
      for (const method of methods) {
        handlers.push({ ...method, instance, binding: `${className}.${method.name}` });
      }
    }
    return handlers;
  }

  /**
   * Every provider and controller class of the application once (aliases skipped), with its
   * method names: what documentation tools read `@Publishes` from. Reads metadata only.
   */
  classes(): DiscoveredClass[] {
    const seen = new Set<object>();
    const classes: DiscoveredClass[] = [];
    for (const { prototype, className } of this.wrappers()) {
      if (seen.has(prototype)) continue;
      seen.add(prototype);
      classes.push({
        className,
        prototype,
        methodNames: this.scanner.getAllMethodNames(prototype),
      });
    }
    return classes;
  }

  /** The providers and controllers (aliases skipped) with a class to read, and its name. */
  private *wrappers(): Generator<{
    wrapper: InstanceWrapper;
    prototype: object;
    className: string;
  }> {
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      if (wrapper.isAlias) continue;
      const prototype = this.prototypeOf(wrapper);
      if (prototype === undefined) continue;
      const className = (prototype.constructor as { name?: string } | undefined)?.name;
      yield { wrapper, prototype, className: className ?? String(wrapper.name) };
    }
  }

  private prototypeOf(wrapper: InstanceWrapper): object | undefined {
    const instance = wrapper.instance as object | undefined;
    if (instance !== undefined && instance !== null && typeof instance === 'object') {
      const prototype = Object.getPrototypeOf(instance) as object | null;
      return prototype === null || prototype === Object.prototype ? undefined : prototype;
    }
    // Request-scoped wrappers may have no static instance: look at the class to reject them.
    const metatype: unknown = wrapper.metatype;
    if (wrapper.inject || typeof metatype !== 'function') return undefined;
    return (metatype as { prototype?: object }).prototype;
  }
}

/**
 * @internal The application's `@Subscribe` methods (see {@link BuslineDiscovery}), each with its
 * call through Nest's pipeline, made here once.
 */
@Injectable()
export class BuslineExplorer extends BuslineDiscovery {
  constructor(
    discovery: DiscoveryService,
    scanner: MetadataScanner,
    accessor: BuslineMetadataAccessor,
    private readonly contextCreator: ExternalContextCreator,
  ) {
    super(discovery, scanner, accessor);
  }

  /** The `@Subscribe` methods, each with its call through Nest's pipeline. */
  explore(): DiscoveredHandler[] {
    return this.discover().map((method) => ({
      ...method,
      call: createHandlerCall(this.contextCreator, method),
    }));
  }
}
