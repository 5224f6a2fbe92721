/** Specs and scenarios: JSON Schemas in specs/, checked by ajv and by the semantic checks. */
export { checkFile, loadScenarioFile, loadSpecFile } from './load.js';
export { type ScenarioResult, type SpecResult, validateScenario, validateSpec } from './validate.js';
export { cellName, isRunStep } from './types.js';
export type {
  CellLimits, CellSpec, DestroyStep, JailSpec, LifecycleStep, RunStep, Scenario, ScenarioLink, ScenarioNetwork, ScenarioPcap, ScenarioStep, ScenarioSwitch,
  StartStep, StepExpectation, StopStep, UpdateStep, ZoneFsSpec, ZoneNetSpec, ZoneSpec,
} from './types.js';
