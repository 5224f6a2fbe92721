/**
 * A managed cell: a jail or zone defined from a spec, with its lifecycle, as the public API and
 * the CLI drive it (`k.createCell(spec)`, `c.start()`, `c.exec(argv)`, `c.stop()`,
 * `c.destroy()`). The personality decides what each step means (jail(8): defined → running;
 * zoneadm: configured → installed → ready → running); every change to the kernel goes through
 * the syscall door as a host process, so the same gate guards the API, the CLI and the tools.
 */
import type { CellParams, Program, Sys } from '../kernel/abi.js';
import type { Kernel } from '../kernel/kernel.js';
import { HostApi, type ExecOptions, type ExecResult } from '../kernel/host-api.js';
import type { Cell } from './cell.js';
import { CellError, type Lifecycle } from './lifecycle-table.js';
import { asHost } from './admin.js';

/** What a personality supplies: how to build its cell and where its files live. */
export interface Personality {
  readonly kind: 'jail' | 'zone';
  readonly name: string;
  readonly lifecycle: Lifecycle;
  /** The cell's root directory as a host path. */
  readonly rootPath: string;
  /** Sample rootfs copied into the root at install (zones) or creation (jails). */
  readonly rootfs: string | undefined;
  /** Kernel parameters of the cell; throws CellError when the spec cannot be satisfied. */
  params(): CellParams;
  /** Filesystems mounted inside the root while the cell is in the kernel. */
  readonly mounts: readonly { readonly fstype: string; readonly at: string }[];
  /** Commands run inside at start and before stop. */
  readonly startCommand: string | undefined;
  readonly stopCommand: string | undefined;
  /** Prepares the root's directory tree on the host (zonepath modes, ...). */
  prepare(sys: Sys): Promise<void>;
}

export class ManagedCell {
  /** The lifecycle state, in the personality's words ("running", "installed", ...). */
  state: string;
  /** The kernel cell while the cell is in the kernel (jail running, zone ready or running). */
  private cell: Cell | undefined;

  constructor(
    private readonly k: Kernel,
    readonly personality: Personality,
    /** The spec it was made from, as given. */
    readonly spec: unknown,
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
    for (const action of this.personality.lifecycle.defineActions) await this.perform(action);
  }

  /** Runs a lifecycle operation by name ("start", "boot", "halt", "install", ...). */
  async transition(op: string): Promise<void> {
    const step = this.personality.lifecycle.plan(this.state, op, this.name);
    for (const action of step.actions) await this.perform(action);
    this.state = step.to;
  }

  async start(): Promise<void> {
    await this.transition('start');
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
    if (this.cell !== undefined) await this.perform('leave');
    this.state = 'destroyed';
    this.k.managed.delete(this.name);
  }

  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return this.api().exec(argv, options);
  }

  run(program: Program, argv?: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return this.api().run(program, argv, options);
  }

  private api(): HostApi {
    if (this.cell === undefined || this.state !== this.personality.lifecycle.runningState) {
      throw new CellError(this.personality.lifecycle.notRunning(this.name, this.state));
    }
    return new HostApi(this.k, this.cell);
  }

  private async perform(action: string): Promise<void> {
    const p = this.personality;
    switch (action) {
      case 'populate':
        await asHost(this.k, (sys) => p.prepare(sys));
        if (p.rootfs !== undefined) this.k.installRootfs(p.rootPath, p.rootfs);
        return;
      case 'depopulate':
        await asHost(this.k, (sys) => removeTree(sys, p.rootPath));
        return;
      case 'enter':
        this.cell = await this.enter();
        return;
      case 'run-start':
        await this.runInside(p.startCommand);
        return;
      case 'run-stop':
        await this.runInside(p.stopCommand);
        return;
      case 'leave':
        await this.leave();
        return;
      default:
        throw new Error(`unknown lifecycle action ${action}`);
    }
  }

  private async enter(): Promise<Cell> {
    const p = this.personality;
    const params = p.params();
    const id = await asHost(this.k, async (sys) => {
      for (const m of p.mounts) {
        const at = `${p.rootPath}${m.at}`;
        await sys.mkdir(at).catch(() => undefined);
        await sys.mount(m.fstype, at, m.fstype);
      }
      return sys.cell_create({ ...params, persist: true });
    });
    const cell = this.k.cells.get(id);
    if (cell === undefined) throw new Error(`cell ${id} vanished after creation`);
    return cell;
  }

  private async leave(): Promise<void> {
    const p = this.personality;
    const cell = this.cell;
    this.cell = undefined;
    await asHost(this.k, async (sys) => {
      if (cell !== undefined && cell.state === 'alive') await sys.cell_remove(cell.id);
      for (const m of [...p.mounts].reverse()) await sys.umount(`${p.rootPath}${m.at}`).catch(() => undefined);
    });
  }

  private async runInside(command: string | undefined): Promise<void> {
    if (command === undefined || this.cell === undefined) return;
    const r = await new HostApi(this.k, this.cell).exec(['/bin/sh', '-c', command]);
    if (r.exitCode !== 0) throw new CellError(this.personality.lifecycle.commandFailed(this.name, command, r), r);
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
