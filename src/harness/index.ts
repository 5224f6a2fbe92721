/**
 * The isolation harness's public face: the named properties `cellblock check` runs, in the order
 * it runs and reports them, and what a user needs to write one of their own (see the README's
 * "Isolation harness" section). No state.
 */
import type { AnyProperty, Property } from './property.js';
import { noninterference } from './properties/noninterference.js';
import { integrity } from './properties/integrity.js';
import { confidentiality } from './properties/confidentiality.js';
import { resourceIsolation } from './properties/resources.js';
import { equivalence } from './properties/equivalence.js';
import { efficiency } from './properties/efficiency.js';
import { fuzz } from './fuzz.js';

export { runProperty, replayCommand, type Property, type AnyProperty, type RunResult, type RunContext, type Outcome, type Violation } from './property.js';
export { buildWorld, loadTarget, exampleFiles, worldSpecs, type Target, type World, type WorldCell } from './target.js';
export { programOf, type Observation } from './program.js';
export { programArbitrary, opArbitrary, vocabulary, type Op } from './gen.js';
export { declaredChannels, CHANNELS, type ChannelName } from './channels.js';

const erase = <I>(p: Property<I>): AnyProperty => p as unknown as AnyProperty;

export const PROPERTIES: readonly AnyProperty[] = [
  erase(noninterference),
  erase(integrity),
  erase(confidentiality),
  erase(resourceIsolation),
  erase(equivalence),
  erase(efficiency),
  erase(fuzz),
];

export const PROPERTY_NAMES: readonly string[] = PROPERTIES.map((p) => p.name);

export function propertyNamed(name: string): AnyProperty | undefined {
  return PROPERTIES.find((p) => p.name === name);
}
