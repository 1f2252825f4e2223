import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { BuslineMetadataAccessor, type SubscribedMethod } from './busline-metadata.accessor';
import { BuslineConfigurationError } from './errors/busline-configuration.error';

/** @internal A `@Subscribe` method found on a provider or controller instance. */
export interface DiscoveredHandler extends SubscribedMethod {
  readonly instance: object;
  /** `ClassName.method`, as logged and reported. */
  readonly binding: string;
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
 * so are transient ones, which have no single instance to call.
 */
@Injectable()
export class BuslineExplorer {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly accessor: BuslineMetadataAccessor,
  ) {}

  explore(): DiscoveredHandler[] {
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    const seen = new Set<object>();
    const handlers: DiscoveredHandler[] = [];
    for (const wrapper of wrappers) {
      if (wrapper.isAlias) continue;
      const prototype = this.prototypeOf(wrapper);
      if (prototype === undefined) continue;
      const methods = this.accessor.subscribedMethods(
        prototype,
        this.scanner.getAllMethodNames(prototype),
      );
      if (methods.length === 0) continue;
      const className = prototype.constructor?.name ?? String(wrapper.name);
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
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    const seen = new Set<object>();
    const classes: DiscoveredClass[] = [];
    for (const wrapper of wrappers) {
      if (wrapper.isAlias) continue;
      const prototype = this.prototypeOf(wrapper);
      if (prototype === undefined || seen.has(prototype)) continue;
      seen.add(prototype);
      const className = prototype.constructor?.name ?? String(wrapper.name);
      classes.push({
        className,
        prototype,
        methodNames: this.scanner.getAllMethodNames(prototype),
      });
    }
    return classes;
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
