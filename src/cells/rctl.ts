/**
 * rctl(8) rules in a jail spec: `subject:subject-id:resource:action=amount`, e.g.
 * `jail:www:maxproc:deny=20`. The subject must be the jail itself; resources map onto the
 * partition's (maxproc → processes, openfiles → openFiles, memoryuse → memory); actions are
 * deny, log, and signals (sigterm, sigkill, ...). A bad rule is refused with rctl(8)'s words.
 */
import type { CellRule, ResourceName, SignalName } from '../kernel/abi.js';
import { SIGNALS } from '../kernel/abi.js';
import { bytes } from './limits.js';

const RESOURCE: Readonly<Record<string, ResourceName>> = { maxproc: 'processes', openfiles: 'openFiles', memoryuse: 'memory' };

export class RctlError extends Error {}

export function parseRctl(rule: string, jail: string): CellRule {
  const malformed = (why: string): RctlError => new RctlError(`rctl: malformed rule '${rule}': ${why}`);
  const match = /^(jail|j):([^:]+):([a-z]+):([a-z0-9]+)=(\d+[kmgtKMGT]?)$/.exec(rule);
  if (match === null) throw malformed('expected jail:NAME:resource:action=amount');
  const [, , subject, name, action, amount] = match as unknown as [string, string, string, string, string, string];
  if (subject !== jail) throw malformed(`the subject must be this jail ("jail:${jail}")`);
  const resource = RESOURCE[name];
  if (resource === undefined) throw new RctlError(`rctl: failed to add rule '${rule}': Operation not supported`);
  const signal = action.startsWith('sig') ? (`SIG${action.slice(3).toUpperCase()}` as SignalName) : undefined;
  if (action !== 'deny' && action !== 'log' && (signal === undefined || !Object.hasOwn(SIGNALS, signal))) {
    throw new RctlError(`rctl: failed to add rule '${rule}': Invalid argument`);
  }
  return { resource, action: signal ?? (action as 'deny' | 'log'), amount: bytes(amount.toUpperCase()), text: rule };
}
