/**
 * Runs a generated program (src/harness/gen.ts) through `sys`, as any program would, and
 * records what it observed: one line per result (a value, "ok", or the errno), each tagged with
 * the declared channel (src/harness/channels.ts) it may legitimately carry. Observations leave
 * out what is not the program's to see (virtual times of files, device numbers); values that
 * can differ only through a declared channel (pids, times, statfs counts, inode numbers, bound
 * ports) are kept, and tagged. The observation list is owned by the caller.
 */
import { AF_INET, IPC_CREAT, IPC_NOWAIT, O_APPEND, O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY, SOCK_DGRAM, S_IFDIR, S_IFMT, type Program, type Sys } from '../kernel/abi.js';
import { SysError } from '../kernel/errno.js';
import type { ChannelName } from './channels.js';
import { describeOp, type Op } from './gen.js';

export interface Observation {
  /** Which operation of the program (0-based). */
  readonly step: number;
  /** The operation, as describeOp renders it. */
  readonly what: string;
  readonly result: string;
  /** The declared channel a difference here may come through; none: any difference is a leak. */
  readonly channel?: ChannelName;
}

const decoder = new TextDecoder();
/** Longest file content an observation keeps. */
const MAX_TEXT = 200;

export interface ProgramOptions {
  /**
   * Ticks to sleep before each operation: programs of several cells started together then take
   * turns operation by operation, instead of each running to its end within one quantum.
   */
  readonly pace?: number;
}

/** A program that runs `ops` in order and appends what it observes to `out`. */
export function programOf(ops: readonly Op[], out: Observation[], options: ProgramOptions = {}): Program {
  const pace = options.pace ?? 0;
  return async (sys) => {
    const held: number[] = [];
    for (const [step, o] of ops.entries()) {
      if (pace > 0) await sys.sleep(pace);
      const what = describeOp(o);
      const note = (result: string, channel?: ChannelName): void => void out.push(channel === undefined ? { step, what, result } : { step, what, result, channel });
      try {
        await perform(sys, o, note, held);
      } catch (err) {
        note(errorName(err));
      }
    }
    for (const fd of held) await sys.close(fd).catch(() => undefined);
    return 0;
  };
}

/** The errno of a failed call ("ENOENT"), or the message of anything else. */
export function errorName(err: unknown): string {
  if (err instanceof SysError) return err.code;
  return `error: ${err instanceof Error ? err.message : String(err)}`;
}

type Note = (result: string, channel?: ChannelName) => void;

async function perform(sys: Sys, o: Op, note: Note, held: number[]): Promise<void> {
  switch (o.op) {
    case 'write': {
      const fd = await sys.open(o.path, O_CREAT | O_WRONLY | (o.append ? O_APPEND : O_TRUNC), 0o644);
      try {
        await sys.write(fd, `${o.data}\n`);
      } finally {
        await sys.close(fd);
      }
      return note('ok');
    }
    case 'read':
      return note(JSON.stringify(cut(await readPath(sys, o.path))));
    case 'list':
      return note((await sys.readdir(o.path)).map((e) => e.name).sort().join(' '));
    case 'stat': {
      const st = await sys.lstat(o.path);
      const type = st.mode & S_IFMT;
      const size = type === S_IFDIR ? '-' : String(st.size);
      note(`${(type >> 12).toString(8)} ${(st.mode & 0o7777).toString(8)} ${size} ${type === S_IFDIR ? '-' : st.nlink}`);
      return note(`ino ${st.ino}`, 'fs-usage');
    }
    case 'remove':
      await sys.unlink(o.path);
      return note('ok');
    case 'mkdir':
      await sys.mkdir(o.path);
      return note('ok');
    case 'rmdir':
      await sys.rmdir(o.path);
      return note('ok');
    case 'symlink':
      await sys.symlink(o.target, o.path);
      return note('ok');
    case 'link':
      await sys.link(o.existing, o.path);
      return note('ok');
    case 'rename':
      await sys.rename(o.from, o.to);
      return note('ok');
    case 'chdir':
      await sys.chdir(o.path);
      return note(await sys.getcwd());
    case 'sethostname':
      await sys.sethostname(o.name);
      return note('ok');
    case 'hostname':
      return note(await sys.gethostname());
    case 'uname':
      return note((await sys.uname()).nodename);
    case 'spawn': {
      const pid = await sys.spawn(`/bin/${o.command}`, [o.command]);
      note(`pid ${pid}`, 'pid-numbers');
      const status = await sys.wait(pid);
      return note(`exit ${status?.exitCode ?? 'none'}`);
    }
    case 'getpid':
      return note(String(await sys.getpid()), 'pid-numbers');
    case 'probe': {
      const pid = o.target === 'all' ? -1 : o.target === 'init' ? 1 : await sys.getpid();
      await sys.kill(pid, 0);
      return note('ok');
    }
    case 'procs':
      return note(String((await processDirs(sys)).length));
    case 'cmdlines': {
      const lines: string[] = [];
      for (const pid of await processDirs(sys)) {
        lines.push(await readPath(sys, `/proc/${pid}/cmdline`).then((text) => text.replaceAll('\0', ' ').trim(), errorName));
      }
      return note(JSON.stringify(lines.sort()));
    }
    case 'cells':
      return note((await sys.cell_list()).map((c) => c.name).sort().join(' ') || '(none)');
    case 'time':
      note(`ticks ${await sys.time()}`, 'clock');
      return note(`wall ${await sys.gettime()}`, 'clock');
    case 'compute':
      await sys.compute(o.ticks);
      return note('ok');
    case 'sleep':
      await sys.sleep(o.ticks);
      return note('ok');
    case 'msgget':
      return note(`id ${await sys.msgget(o.key, o.create ? IPC_CREAT | 0o600 : 0)}`);
    case 'msgsnd':
      await sys.msgsnd(await sys.msgget(o.key, 0), 1, o.data, IPC_NOWAIT);
      return note('ok');
    case 'msgrcv': {
      const message = await sys.msgrcv(await sys.msgget(o.key, 0), 0, 256, IPC_NOWAIT);
      return note(JSON.stringify(decoder.decode(message.data)));
    }
    case 'ipcs':
      return note((await sys.ipc_list()).map((i) => `${i.kind}:${i.key}`).sort().join(' ') || '(none)');
    case 'alloc':
      await sys.alloc(o.bytes);
      return note('ok');
    case 'statfs': {
      const fs = await sys.statfs(o.path);
      note(fs.type);
      return note(`free ${fs.bfree} blocks ${fs.ffree} inodes`, 'fs-usage');
    }
    case 'bind': {
      const fd = await sys.socket(AF_INET, SOCK_DGRAM);
      held.push(fd);
      try {
        await sys.bind(fd, { address: '0.0.0.0', port: o.port });
      } catch (err) {
        return note(errorName(err), 'ports');
      }
      return note('ok', 'ports');
    }
    case 'settime':
      await sys.settime(o.ms);
      return note('ok');
  }
}

/** A file's text (its first 64 KiB), symlinks followed as cat follows them. */
async function readPath(sys: Sys, path: string): Promise<string> {
  const fd = await sys.open(path, O_RDONLY);
  try {
    return decoder.decode(await sys.read(fd, 65536));
  } finally {
    await sys.close(fd);
  }
}

/** The pid directories /proc shows the caller. */
async function processDirs(sys: Sys): Promise<string[]> {
  return (await sys.readdir('/proc')).map((e) => e.name).filter((name) => /^\d+$/.test(name));
}

function cut(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}
