/**
 * What zoneadm and zlogin share: where the caller runs (the global zone is the host cell, id 0),
 * the zones the host has configured (the registry lists jails too; these tools see zones only),
 * zone states in libzonecfg's order, and reading an answer from a terminal.
 */
import type { CellConfig, Sys } from '../../kernel/abi.js';

export const GLOBAL_ZONENAME = 'global';

/** The caller's zone: the global zone, or the non-global zone it is confined to. */
export interface Here {
  readonly global: boolean;
  readonly id: number;
  readonly name: string;
}

export async function whereAmI(sys: Sys): Promise<Here> {
  const own = await sys.cell_get();
  return own.id === 0 ? { global: true, id: 0, name: GLOBAL_ZONENAME } : { global: false, id: own.id, name: own.name };
}

/** The zones of the host's registry, in the order they were configured (zoneadm's index file). */
export async function configuredZones(sys: Sys): Promise<CellConfig[]> {
  return (await sys.cellcfg_list()).filter((c) => c.kind === 'zone');
}

export async function findZone(sys: Sys, name: string): Promise<CellConfig | undefined> {
  return (await configuredZones(sys)).find((z) => z.name === name);
}

/** libzonecfg's zone_state_t order: a state "at least installed" ranks at or above installed. */
const STATE_ORDER = ['configured', 'incomplete', 'installed', 'ready', 'mounted', 'running', 'shutting_down', 'down'];

export function stateRank(state: string): number {
  return STATE_ORDER.indexOf(state);
}

/** Root in the global zone holds every privilege (Solaris priv_isfullset); anyone else lacks some. */
export async function hasAllPrivileges(sys: Sys): Promise<boolean> {
  return (await sys.getuid()) === 0;
}

/**
 * ask_yesno(3) as zoneadm and zonecfg use it: -1 when stdin is not a terminal or ends, else 1
 * for an answer starting with y, 0 for n or an empty line (the default, no); anything else asks again.
 */
export async function askYesNo(sys: Sys, question: string): Promise<-1 | 0 | 1> {
  if (!(await sys.isatty(0))) return -1;
  for (;;) {
    await sys.write(1, `${question} (y/[n])? `);
    const line = await readLine(sys);
    if (line === undefined) return -1;
    const first = line.charAt(0).toLowerCase();
    if (first === '') return 0;
    if (first === 'y') return 1;
    if (first === 'n') return 0;
  }
}

/** One line of stdin without its newline, read a byte at a time so nothing past it is consumed. */
async function readLine(sys: Sys): Promise<string | undefined> {
  const bytes: number[] = [];
  for (;;) {
    const chunk = await sys.read(0, 1);
    if (chunk.length === 0) return bytes.length === 0 ? undefined : new TextDecoder().decode(new Uint8Array(bytes));
    if (chunk[0] === 0x0a) return new TextDecoder().decode(new Uint8Array(bytes));
    bytes.push(chunk[0]!);
  }
}
