/**
 * Lifecycles as tables: for each state and operation, the next state and the actions that get
 * there, or the refusal in the real tool's words. An illegal operation changes nothing.
 * Actions: populate (root from the rootfs sample), depopulate, enter (create the kernel cell),
 * leave (remove it, killing its processes), run-start and run-stop (the start/stop commands).
 */
import type { ExecResult } from '../kernel/host-api.js';

export class CellError extends Error {
  constructor(
    message: string,
    readonly result?: ExecResult,
    /** A refusal the real tool reports with exit status 0 ("zone is already booted"). */
    readonly benign = false,
  ) {
    super(message);
    this.name = 'CellError';
  }
}

export interface Step {
  readonly to: string;
  readonly actions: readonly string[];
}

export interface Lifecycle {
  /** State right after definition. */
  readonly initial: string;
  /** Actions run at definition. */
  readonly defineActions: readonly string[];
  /** The state in which programs run inside. */
  readonly runningState: string;
  /** States in which the kernel cell exists (and must be brought back up on the next boot). */
  readonly inKernel: readonly string[];
  /** The state a cell in the kernel falls back to when the host goes down. */
  readonly resting: string;
  /** Operations that take the cell from each state to running (`create --start`, reboot of the host). */
  readonly upFrom: Readonly<Record<string, readonly string[]>>;
  plan(state: string, op: string, name: string): Step;
  notRunning(name: string, state: string): string;
  commandFailed(name: string, command: string): string;
}

type Rule = Step | { readonly refuse: string; readonly benign?: boolean };
type Table = Readonly<Record<string, Readonly<Record<string, Rule>>>>;

function planFrom(table: Table, aliases: Readonly<Record<string, string>>, unknown: (op: string) => string, format: (name: string, message: string) => string) {
  return (state: string, op: string, name: string): Step => {
    const rules = table[aliases[op] ?? op];
    if (rules === undefined) throw new CellError(unknown(op));
    const rule = rules[state];
    if (rule === undefined) throw new CellError(format(name, `${op} operation is invalid for zones in state '${state}'`));
    if ('refuse' in rule) throw new CellError(format(name, rule.refuse.replaceAll('%s', state)), undefined, rule.benign ?? false);
    return rule;
  };
}

/** jail(8): a defined jail is created in the kernel by start and removed by stop. */
export const JAIL_LIFECYCLE: Lifecycle = {
  initial: 'defined',
  defineActions: ['populate'],
  runningState: 'running',
  inKernel: ['running'],
  resting: 'defined',
  upFrom: { defined: ['start'], running: [] },
  plan: planFrom(
    {
      start: { defined: { to: 'running', actions: ['enter', 'run-start'] }, running: { refuse: 'already exists' } },
      stop: { running: { to: 'defined', actions: ['run-stop', 'leave'] }, defined: { refuse: 'not found' } },
    },
    {},
    (op) => `cellblock: ${op} applies to zones only`,
    (name, message) => `jail: "${name}" ${message}`,
  ),
  notRunning: (name) => `jail: "${name}" not found`,
  commandFailed: (name, command) => `jail: ${name}: ${command}: failed`,
};

const zoneMessage = (name: string, message: string): string => `zoneadm: zone '${name}': ${message}`;
/** Operations zoneadm refuses on a zone in the kernel (%s: its state). */
const unsafeFor = (op: string): Rule => ({ refuse: `${op} operation is invalid for %s zones.` });

/** zoneadm(1M): configured → installed → ready → running, and back. */
export const ZONE_LIFECYCLE: Lifecycle = {
  initial: 'configured',
  defineActions: [],
  runningState: 'running',
  inKernel: ['ready', 'running'],
  resting: 'installed',
  upFrom: { configured: ['install', 'boot'], installed: ['boot'], ready: ['boot'], running: [] },
  plan: planFrom(
    {
      install: {
        configured: { to: 'installed', actions: ['populate'] },
        installed: { refuse: 'is already installed.' },
        ready: unsafeFor('install'),
        running: unsafeFor('install'),
      },
      uninstall: {
        installed: { to: 'configured', actions: ['depopulate'] },
        configured: { refuse: "is already in state 'configured'." },
        ready: unsafeFor('uninstall'),
        running: unsafeFor('uninstall'),
      },
      ready: {
        installed: { to: 'ready', actions: ['enter'] },
        configured: { refuse: 'must be installed before ready.' },
        ready: { refuse: 'zone is already ready', benign: true },
        running: { to: 'ready', actions: ['leave', 'enter'] },
      },
      boot: {
        installed: { to: 'running', actions: ['enter', 'run-start'] },
        ready: { to: 'running', actions: ['run-start'] },
        configured: { refuse: 'must be installed before boot.' },
        running: { refuse: 'zone is already booted', benign: true },
      },
      halt: {
        ready: { to: 'installed', actions: ['leave'] },
        running: { to: 'installed', actions: ['run-stop', 'leave'] },
        installed: { refuse: 'zone is already halted', benign: true },
        configured: { refuse: "cannot manage a zone which is in state 'configured'" },
      },
      reboot: {
        running: { to: 'running', actions: ['run-stop', 'leave', 'enter', 'run-start'] },
        ready: { refuse: "reboot operation is invalid for zones in state 'ready'" },
        installed: { refuse: 'not running' },
        configured: { refuse: 'not running' },
      },
    },
    { start: 'boot', stop: 'halt' },
    (op) => `zoneadm: unknown subcommand ${op}`,
    zoneMessage,
  ),
  notRunning: (name, state) => zoneMessage(name, `zone must be running to log in (state '${state}')`),
  commandFailed: (name, command) => zoneMessage(name, `${command}: failed`),
};
