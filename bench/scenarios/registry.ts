import type { Job, Measurement, ScenarioDef, Size } from '../harness/types';
import { loadScenario, prepareLoad } from './load/load.scenario';
import { localScenario } from './local/local.scenario';
import { memoryScenario } from './memory/memory.scenario';
import { mqttScenario, prepareMqtt, skipMqttCase } from './mqtt/mqtt.scenario';
import { serializationScenario } from './serialization/serialization.scenario';

/** A scenario and, loaded only in the worker process, the code that measures it. */
export interface ScenarioEntry {
  def: ScenarioDef;
  load: () => Promise<(job: Job) => Promise<Measurement>>;
  /** The cases a smoke run (`--smoke`) measures; all unless given. */
  smokeCases?: readonly string[];
  /** Repetitions of a full run unless `--reps` says otherwise (default 5). */
  reps?: number;
  /** Kill a measurement after this long (default 180 s). */
  timeoutMs?: number;
  /**
   * Runs in the runner process before the first measurement (starts a broker, ...): returns the
   * settings the workers get, and how to clean up.
   */
  /** Runner side: why a case cannot run with these settings (it is then left out), if so. */
  skip?: (caseName: string, settings: Record<string, string>) => string | undefined;
  prepare?: (
    settings: Record<string, string>,
    size: Size,
  ) => Promise<{ settings: Record<string, string>; close: () => Promise<void> }>;
}

/** Every scenario, in the order `npm run bench` runs them. */
export const SCENARIOS: readonly ScenarioEntry[] = [
  {
    def: localScenario,
    load: async () => (await import('./local/local.scenario.js')).runLocal,
  },
  {
    def: serializationScenario,
    load: async () => (await import('./serialization/serialization.scenario.js')).runSerialization,
  },
  {
    def: memoryScenario,
    load: async () => (await import('./memory/memory.scenario.js')).runMemory,
    reps: 3,
  },
  {
    def: mqttScenario,
    load: async () => (await import('./mqtt/mqtt.worker.js')).runMqtt,
    reps: 3,
    prepare: prepareMqtt,
    skip: skipMqttCase,
    // Every contender, on the broker that is always there: the first cells, and one of each
    // kind added since (QoS 2, 1 MB, 100 topics).
    smokeCases: [
      'embedded-qos0-100B',
      'embedded-qos1-10KB',
      'embedded-qos2-100B',
      'embedded-qos1-1MB',
      'embedded-qos0-100B-100topics',
    ],
  },
  {
    def: loadScenario,
    load: async () => (await import('./load/load.worker.js')).runLoad,
    reps: 3,
    prepare: prepareLoad,
  },
];
