import type { INestApplicationContext } from '@nestjs/common';
import type { FlowAppProbe } from './flow-app.probe';
import type { FlowApp } from './flow-model';

/**
 * @internal The Busline applications of this process, for the flow page. Every application
 * registers here at bootstrap (a reference, nothing more) and leaves at shutdown; while at least
 * one of them serves a page, all of them count their events, including those that start later.
 * So the page of the one application with an HTTP server shows the whole process: the sample's
 * backend shows the four services that run beside it as application contexts.
 */
export class FlowRegistry {
  private readonly apps = new Map<string, FlowAppProbe>();
  private pages = 0;
  private sequence = 0;

  /** A new identifier for an application of this process. */
  nextId(): string {
    return `app-${++this.sequence}`;
  }

  /** Whether a page is served in the process (so counting is on). */
  get counting(): boolean {
    return this.pages > 0;
  }

  add(app: FlowAppProbe): void {
    this.apps.set(app.id, app);
    if (this.pages > 0) app.activate();
  }

  remove(app: FlowAppProbe): void {
    if (this.apps.get(app.id) === app) this.apps.delete(app.id);
    app.deactivate();
  }

  /** A page is served from now on; returns what to call once it no longer is. */
  openPage(): () => void {
    if (this.pages++ === 0) for (const app of this.apps.values()) app.activate();
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      if (--this.pages === 0) for (const app of this.apps.values()) app.deactivate();
    };
  }

  /** The application registered under `id`. */
  get(id: string): FlowAppProbe | undefined {
    return this.apps.get(id);
  }

  /** Every application, for their AsyncAPI document. */
  contexts(): INestApplicationContext[] {
    return [...this.apps.values()].map((app) => app.context);
  }

  /** Every application, in the order they started. */
  describe(): FlowApp[] {
    return [...this.apps.values()].map((app) => app.describe());
  }
}

/** @internal The registry of this process. */
export const flowRegistry = new FlowRegistry();
