'use strict';

/**
 * Jest runs everything as CommonJS. @swc/jest compiles our TypeScript and also
 * the ES-module-only dependencies (NestJS 12, aedes and their ESM helpers),
 * which jest's own module loader cannot require.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  // Examples and the sample import the package by name, as users do.
  moduleNameMapper: {
    '^busline$': '<rootDir>/lib/index.ts',
    '^busline/(mqtt|nest|testing)$': '<rootDir>/lib/$1/index.ts',
  },
  setupFilesAfterEnv: ['<rootDir>/test/setup/no-unhandled-rejections.ts'],
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|aedes|aedes-[^/]+|mqemitter|hyperid)/)'],
};
