/**
 * The host side of the public API: start a command or a program in a cell from outside the
 * kernel (tests, the CLI, the harness) and get its exit status and output. A process started
 * here is a child of init, with stdin, stdout and stderr connected to strings or to streams.
 */
import { Buffer } from 'node:buffer';
import type { Program, WaitResult } from './abi.js';
import { SysError, strerror, type Errno } from './errno.js';
import type { Kernel } from './kernel.js';
import type { Cell } from '../cells/cell.js';
import { Process } from '../proc/process.js';
import { loadImage, basename, type Image } from '../proc/exec.js';
import { InputStream, StreamFile, type Sink } from './stream.js';
import type { DeadlockError } from './deadlock.js';
import type { KernelPanic } from './errno.js';
import { lookup } from '../vfs/resolve.js';
import type { Partition } from '../cells/partition.js';

export interface ExecOptions {
  /** Standard input: a string or bytes (then end of file), or a stream fed from outside. Default: empty. */
  readonly stdin?: string | Uint8Array | InputStream;
  /** Where standard output goes as it is written; it is also collected into the result unless given. */
  readonly stdout?: Sink;
  readonly stderr?: Sink;
  /** Do the descriptors claim to be a terminal? (isatty) */
  readonly tty?: boolean;
  readonly env?: Readonly<Record<string, string>>;
  /** Working directory inside the cell (default "/"). */
  readonly cwd?: string;
  readonly uid?: number;
  readonly gid?: number;
}

export interface ExecResult {
  /** The exit status as a shell reports it: the code, or 128 + signal. */
  readonly exitCode: number;
  /** The signal that killed the process, or null. */
  readonly signal: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly pid: number;
}

export const DEFAULT_PATH = '/bin:/usr/bin:/sbin:/usr/sbin';

export class HostApi {
  constructor(
    private readonly k: Kernel,
    readonly cell: Cell,
  ) {}

  /** Runs a command by name (searched in PATH inside the cell) or by path, as execvp does. */
  exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const [command] = argv;
    if (command === undefined || command === '') return Promise.reject(new TypeError('exec: empty command'));
    const env = options.env ?? this.defaultEnv(options.uid ?? 0);
    return this.launch(argv, options, env, (p) => this.findImage(p, command, argv, env.PATH ?? DEFAULT_PATH));
  }

  /** Runs a program function as a process in the cell. */
  run(program: Program, argv: readonly string[] = ['program'], options: ExecOptions = {}): Promise<ExecResult> {
    const env = options.env ?? this.defaultEnv(options.uid ?? 0);
    return this.launch(argv, options, env, () => ({ program, argv, comm: basename(argv[0] ?? 'program') }));
  }

  /** An input stream the caller feeds with push() and end(), for interactive use. */
  openInput(tty = false): InputStream {
    return new InputStream(this.k, tty, 'stdin');
  }

  private defaultEnv(uid: number): Record<string, string> {
    const home = uid === 0 ? '/root' : '/';
    return { PATH: DEFAULT_PATH, HOME: home, SHELL: '/bin/sh', USER: uid === 0 ? 'root' : String(uid) };
  }

  private findImage(p: Process, command: string, argv: readonly string[], path: string): Image {
    if (command.includes('/')) return loadImage(this.k, p, command, argv);
    let denied: SysError | undefined;
    for (const dir of path.split(':')) {
      try {
        return loadImage(this.k, p, `${dir || '.'}/${command}`, argv);
      } catch (err) {
        if (!(err instanceof SysError)) throw err;
        if (err.code !== 'ENOENT' && err.code !== 'ENOTDIR') denied ??= err;
      }
    }
    throw denied ?? new SysError('ENOENT', 'exec', command);
  }

  private launch(
    argv: readonly string[],
    options: ExecOptions,
    env: Readonly<Record<string, string>>,
    image: (p: Process) => Image,
  ): Promise<ExecResult> {
    const k = this.k;
    if (k.panic !== undefined) return Promise.reject(k.panic);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const tty = options.tty ?? false;
    const input = stdinOf(k, options.stdin, tty);
    const cell = this.cell;
    const owner = cell.partition;
    const fds = [
      { file: StreamFile.reader(input), cloexec: false, owner },
      { file: StreamFile.writer(options.stdout ?? collect(out), tty), cloexec: false, owner },
      { file: StreamFile.writer(options.stderr ?? collect(err), tty), cloexec: false, owner },
    ];
    const cred = { uid: options.uid ?? 0, gid: options.gid ?? options.uid ?? 0, groups: [options.gid ?? options.uid ?? 0] };
    const p = new Process({ pid: k.allocPid(), cell, cred, root: cell.root, cwd: cell.root, fds, argv, env, comm: basename(argv[0] ?? ''), now: k.now });
    p.parent = k.init; // adopted only once it starts: a command that fails to load never existed
    const text = (chunks: Buffer[]): string => Buffer.concat(chunks).toString('utf8');
    let loaded: Image;
    try {
      if (options.cwd !== undefined) p.cwd = chdirTarget(p, options.cwd);
      loaded = image(p);
    } catch (e) {
      if (!(e instanceof SysError)) throw e;
      const notFound = e.code === 'ENOENT';
      const message = notFound ? `cellblock: ${argv[0]}: not found\n` : `cellblock: ${argv[0]}: ${strerror(e.code)}\n`;
      (options.stderr ?? collect(err))(Buffer.from(message));
      return Promise.resolve({ exitCode: notFound ? 127 : 126, signal: null, stdout: text(out), stderr: text(err), pid: 0 });
    }
    p.argv = loaded.argv;
    p.comm = loaded.comm;
    // The same admission a spawn meets at the boundary: a process and its three descriptors.
    const refused = admitProcess(owner, fds.length);
    if (refused !== undefined) {
      (options.stderr ?? collect(err))(Buffer.from(`cellblock: ${argv[0]}: ${strerror(refused)}\n`));
      return Promise.resolve({ exitCode: 126, signal: null, stdout: text(out), stderr: text(err), pid: 0 });
    }
    p.charged = owner;
    return new Promise<ExecResult>((resolve, reject) => {
      const done = (): void => {
        k.deadlockListeners.delete(onDeadlock);
        k.panicListeners.delete(onPanic);
      };
      const onDeadlock = (e: DeadlockError): void => {
        done();
        reject(e);
      };
      const onPanic = (e: KernelPanic): void => {
        done();
        reject(e);
      };
      p.onExit = (status: WaitResult) => {
        done();
        resolve({ exitCode: status.exitCode ?? 128 + (status.signal ?? 0), signal: status.signal, stdout: text(out), stderr: text(err), pid: p.pid });
      };
      k.deadlockListeners.add(onDeadlock);
      k.panicListeners.add(onPanic);
      k.init.children.add(p);
      k.start(p, loaded.program);
      k.kick();
    });
  }
}

function collect(chunks: Buffer[]): Sink {
  return (data) => chunks.push(Buffer.from(data));
}

function stdinOf(k: Kernel, stdin: ExecOptions['stdin'], tty: boolean): InputStream {
  if (stdin instanceof InputStream) return stdin;
  const input = new InputStream(k, tty, 'stdin');
  if (stdin !== undefined) input.push(stdin);
  input.end();
  return input;
}

/** The working directory a host command starts in, resolved like chdir(2) in the cell. */
function chdirTarget(p: Process, path: string): Process['cwd'] {
  const loc = lookup(p, path, true);
  if (!loc.link.getNode().isDirectory()) throw new SysError('ENOTDIR', 'chdir', path);
  return loc;
}

/** Charges a process and its descriptors to `partition`, or nothing: the refusing errno. */
function admitProcess(partition: Partition, descriptors: number): Errno | undefined {
  const refused = partition.charge('processes', 1);
  if (refused !== undefined) return refused;
  const noFiles = partition.charge('openFiles', descriptors);
  if (noFiles !== undefined) partition.uncharge('processes', 1);
  return noFiles;
}
