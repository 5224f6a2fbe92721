/**
 * A managed cell: a jail or zone defined from a spec, with its lifecycle, as the public API and
 * the CLI drive it (`k.createCell(spec)`, `c.start()`, `c.exec(argv)`, `c.stop()`,
 * `c.destroy()`). The personality decides what each step means (jail(8): defined → running;
 * zoneadm: configured → installed → ready → running); every change to the kernel goes through
 * the syscall door as a host process, so the same gate guards the API, the CLI and the tools.
 */
import { MNT_RDONLY, S_IFDIR, S_IFMT, type CellParams, type Program, type ResourceName, type ResourceUsage, type Sys } from '../kernel/abi.js';
import { validateSpec, type CellLimits, type CellSpec } from '../spec/index.js';
import { SpecError } from './spec-error.js';
import { kernelLimits } from './limits.js';
import type { Kernel } from '../kernel/kernel.js';
import { HostApi, type ExecOptions, type ExecResult } from '../kernel/host-api.js';
import type { Cell } from './cell.js';
import { CellError, type Lifecycle } from './lifecycle-table.js';
import { asHost } from './admin.js';
import { fstabMounts, mkdirs } from './jail.js';
import { readFile, errorText } from '../userland/lib.js';
import { fstabLines } from './fstab.js';

/** What a personality supplies: how to build its cell and where its files live. */
export interface Personality {
  readonly kind: 'jail' | 'zone';
  readonly name: string;
  readonly lifecycle: Lifecycle;
  /** The cell's root directory as a host path. */
  readonly rootPath: string;
  /** A zone's zonepath: the directory holding its root. */
  readonly zonepath?: string;
  /** Sample rootfs copied into the root at install (zones) or creation (jails). */
  readonly rootfs: string | undefined;
  /** The cell gets a network stack of its own (a vnet jail, an exclusive-IP zone), as the registry reports it. */
  readonly ownStack?: boolean;
  /** Kernel parameters of the cell; throws CellError when the spec cannot be satisfied. */
  params(): CellParams;
  /** Filesystems mounted inside the root while the cell is in the kernel. */
  readonly mounts: readonly CellMount[];
  /** An fstab(5) file in the host's files whose entries are mounted first (jail(8) mount.fstab). */
  readonly fstabFile?: string;
  /** Commands run inside at start and before stop. */
  readonly startCommand: string | undefined;
  readonly stopCommand: string | undefined;
  /** Prepares the root's directory tree on the host (zonepath modes, ...). */
  prepare(sys: Sys): Promise<void>;
}

/** A filesystem mounted while a cell is in the kernel (jail(8)'s mount.*, zonecfg's inherit-pkg-dir). */
export interface CellMount {
  readonly fstype: string;
  /** What mount(2) takes as the source: a directory for nullfs, a name otherwise. */
  readonly source: string;
  /** The mountpoint, a host path (most lie inside the cell's root). */
  readonly at: string;
  readonly readOnly?: boolean;
  /**
   * A view of the cell itself (cgroup2, anchored at the cell whose root holds the mountpoint):
   * mounted once the cell exists, and only where the root has the directory.
   */
  readonly ofCell?: boolean;
}

/** What stats() says of the CPU. */
export interface CpuStats {
  readonly ticks: number;
  readonly shares: number;
  readonly cap: number | null;
}

export class ManagedCell {
  /** The lifecycle state, in the personality's words ("running", "installed", ...). */
  state: string;
  /** The kernel cell while the cell is in the kernel (jail running, zone ready or running). */
  private cell: Cell | undefined;
  /**
   * The mountpoints the cell's entry into the kernel mounted, in order: leaving unmounts exactly
   * these (an fstab file may have changed since, a cgroup2 view is mounted only where it fits).
   */
  private mounted: string[] = [];

  constructor(
    private readonly k: Kernel,
    readonly personality: Personality,
    /** The spec it was made from (validated); update() changes its limits. */
    public spec: CellSpec,
  ) {
    this.state = personality.lifecycle.initial;
  }

  get name(): string {
    return this.personality.name;
  }

  get kind(): string {
    return this.personality.kind;
  }

  /** The kernel's id for the cell while it is in the kernel. */
  get id(): number | undefined {
    return this.cell?.id;
  }

  get hostname(): string | undefined {
    return this.cell?.ns.uts.hostname;
  }

  /** Runs what definition takes (a jail's root is populated at once). */
  async define(): Promise<void> {
    await this.runActions(this.personality.lifecycle.defineActions);
  }

  /** Runs a lifecycle operation by name ("start", "boot", "halt", "install", ...). */
  async transition(op: string): Promise<void> {
    const step = this.personality.lifecycle.plan(this.state, op, this.name);
    await this.runActions(step.actions);
    this.state = step.to;
  }

  /**
   * Runs the actions in one host administration process, so the whole step happens at one
   * stretch of virtual time: nothing inside the cell runs ahead while the step is half done.
   * A step that fails after entering the kernel leaves it again (jail(8) undoes a failed start).
   */
  private async runActions(actions: readonly string[]): Promise<void> {
    if (actions.length === 0) return;
    await asHost(this.k, async (sys) => {
      const wasIn = this.cell !== undefined;
      try {
        for (const action of actions) await this.perform(sys, action);
      } catch (err) {
        if (!wasIn && this.cell !== undefined) await this.perform(sys, 'leave');
        throw err;
      }
    });
  }

  async start(): Promise<void> {
    await this.transition('start');
  }

  /** Comes back in a saved state: at rest, then up again if it was in the kernel. */
  async restore(saved: string): Promise<void> {
    const lifecycle = this.personality.lifecycle;
    if (!lifecycle.inKernel.includes(saved)) {
      this.state = saved;
      return;
    }
    this.state = lifecycle.resting;
    const ops = lifecycle.upFrom[this.state] ?? [];
    for (const op of saved === 'ready' ? ['ready'] : ops) await this.transition(op);
  }

  /**
   * Resource usage, peak, limits and failure counts of its partition (usage includes its
   * descendants'), and its CPU: ticks used, shares, cap (percent of one CPU, null: none).
   */
  stats(): (Readonly<Record<ResourceName, ResourceUsage>> & { readonly cpu: CpuStats }) | undefined {
    const cell = this.cell;
    if (cell === undefined) return undefined;
    this.k.sched.settle();
    return { ...cell.partition.snapshot(), cpu: { ticks: cell.cpu.ticks, shares: cell.cpu.shares, cap: cell.cpu.cap } };
  }

  /**
   * Changes limits live (as DLPAR): the spec is updated, and a cell in the kernel gets the new
   * limits at once through cell_set. Lowering a limit below usage refuses new charges and takes
   * nothing away.
   */
  async update(limits: CellLimits): Promise<void> {
    const next = { ...this.spec, limits: { ...this.spec.limits, ...limits } };
    const checked = validateSpec(next);
    if (!checked.ok) throw new SpecError(checked.errors);
    const cell = this.cell;
    if (cell !== undefined) await asHost(this.k, (sys) => sys.cell_set(cell.id, { limits: kernelLimits(next.limits) }));
    this.spec = checked.spec;
  }

  /** Whatever it takes to get to running from here (installs a configured zone first). */
  async bringUp(): Promise<void> {
    const ops = this.personality.lifecycle.upFrom[this.state] ?? [];
    // Already running: let the lifecycle say so in its own words ("zone is already booted").
    for (const op of ops.length === 0 ? ['start'] : ops) await this.transition(op);
  }

  async stop(): Promise<void> {
    await this.transition('stop');
  }

  async install(): Promise<void> {
    await this.transition('install');
  }

  async uninstall(): Promise<void> {
    await this.transition('uninstall');
  }

  /** Stops the cell if it is in the kernel and forgets its definition (files stay). */
  async destroy(): Promise<void> {
    if (this.cell !== undefined) await this.runActions(['leave']);
    this.state = 'destroyed';
    this.k.managed.delete(this.name);
  }

  async exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return this.api().exec(argv, options);
  }

  async run(program: Program, argv?: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return this.api().run(program, argv, options);
  }

  private api(): HostApi {
    if (this.cell === undefined || this.state !== this.personality.lifecycle.runningState) {
      throw new CellError(this.personality.lifecycle.notRunning(this.name, this.state));
    }
    return new HostApi(this.k, this.cell);
  }

  private async perform(sys: Sys, action: string): Promise<void> {
    const p = this.personality;
    switch (action) {
      case 'populate':
        await p.prepare(sys);
        if (p.rootfs !== undefined) this.k.installRootfs(p.rootPath, p.rootfs, mountedInside(p));
        return;
      case 'depopulate':
        await removeTree(sys, p.rootPath);
        return;
      case 'enter': {
        const params = p.params();
        try {
          const fstab = await this.fstabMounts(sys);
          for (const m of [...fstab, ...p.mounts.filter((m) => m.ofCell !== true)]) {
            // An fstab file's entries mount on what exists; the personality's own mountpoints are made.
            if (!fstab.includes(m)) await mkdirs(sys, m.at, 0o755);
            await sys.mount(m.source, m.at, m.fstype, m.readOnly === true ? MNT_RDONLY : 0);
            this.mounted.push(m.at);
          }
        } catch (err) {
          // jail(8) unmounts what it mounted when a later mount fails: nothing stays behind.
          await this.unmountAll(sys);
          throw err;
        }
        const id = await sys.cell_create({ ...params, persist: true });
        this.cell = this.k.cells.get(id);
        for (const m of p.mounts) {
          if (m.ofCell !== true) continue;
          const st = await sys.stat(m.at).catch(() => undefined);
          if (st === undefined || (st.mode & S_IFMT) !== S_IFDIR) continue;
          await sys.mount(m.source, m.at, m.fstype);
          this.mounted.push(m.at);
        }
        return;
      }
      case 'run-start':
        await this.runInside(sys, p.startCommand);
        return;
      case 'run-stop':
        await this.runInside(sys, p.stopCommand);
        return;
      case 'leave': {
        const cell = this.cell;
        this.cell = undefined;
        if (cell !== undefined && cell.state === 'alive') await sys.cell_remove(cell.id);
        await this.unmountAll(sys);
        return;
      }
      default:
        throw new Error(`unknown lifecycle action ${action}`);
    }
  }

  /** Unmounts what the cell mounted, last first (one that is busy or gone is passed over). */
  private async unmountAll(sys: Sys): Promise<void> {
    for (const at of this.mounted.reverse()) await sys.umount(at).catch(() => undefined);
    this.mounted = [];
  }

  /** The entries of the personality's fstab file, read now through the door; a bad one is refused in jail(8)'s words. */
  private async fstabMounts(sys: Sys): Promise<CellMount[]> {
    const file = this.personality.fstabFile;
    if (file === undefined) return [];
    let text: string;
    try {
      text = await readFile(sys, file);
    } catch (err) {
      throw new CellError(`jail: mount.fstab: ${file}: ${errorText(err)}`);
    }
    return fstabMounts(fstabLines(text), `mount.fstab: ${file}`);
  }

  /** Runs a start or stop command inside the cell (`sh -c`), as jail(8) runs exec.start. */
  private async runInside(sys: Sys, command: string | undefined): Promise<void> {
    if (command === undefined || this.cell === undefined) return;
    const pid = await sys.spawn('/bin/sh', ['sh', '-c', command], { cell: this.cell.id });
    const status = await sys.wait(pid);
    if (status?.exitCode !== 0) throw new CellError(this.personality.lifecycle.commandFailed(this.name, command));
  }
}

async function removeTree(sys: Sys, path: string): Promise<void> {
  const st = await sys.lstat(path).catch(() => undefined);
  if (st === undefined) return;
  if ((st.mode & 0o170000) === 0o040000) {
    for (const entry of await sys.readdir(path)) await removeTree(sys, `${path}/${entry.name}`);
    await sys.rmdir(path);
  } else await sys.unlink(path);
}

/**
 * The directories of a cell's root that its mounts cover, relative to the root ("bin",
 * "usr/share"): a rootfs copy leaves them empty (a thin jail's, a sparse zone's shared parts).
 */
function mountedInside(p: Personality): string[] {
  const prefix = `${p.rootPath.replace(/\/+$/, '')}/`;
  return p.mounts.filter((m) => m.ofCell !== true && m.at.startsWith(prefix)).map((m) => m.at.slice(prefix.length));
}
