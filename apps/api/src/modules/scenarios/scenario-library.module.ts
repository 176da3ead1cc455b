import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { ScenarioLibrary } from '@hatch/scenarios';

export const SCENARIO_LIBRARY = Symbol('SCENARIO_LIBRARY');

/** The scenario library loaded (and validated) at boot, before the app is built. */
@Global()
@Module({})
export class ScenarioLibraryModule {
  static forRoot(library: ScenarioLibrary): DynamicModule {
    return { module: ScenarioLibraryModule, providers: [{ provide: SCENARIO_LIBRARY, useValue: library }], exports: [SCENARIO_LIBRARY] };
  }
}
