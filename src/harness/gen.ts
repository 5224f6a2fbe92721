/**
 * Generated programs for the isolation harness: a small language of operations (each one or a
 * few syscalls), and fast-check arbitraries that build seeded random sequences of them. The
 * operations name paths, hostnames, IPC keys and ports from a vocabulary the world supplies, so
 * that a sequence meets the interesting places: its own files, `..` chains that would climb out
 * of its root, other cells' roots as the host names them, keys and ports other cells use.
 * Pure data: src/harness/program.ts runs an operation list, src/harness/shell.ts renders the
 * shell-expressible ones as commands (for fuzz scenarios). No state.
 */
import fc from 'fast-check';

/** One operation of a generated program. */
export type Op =
  | { readonly op: 'write'; readonly path: string; readonly data: string; readonly append: boolean }
  | { readonly op: 'read'; readonly path: string }
  | { readonly op: 'list'; readonly path: string }
  | { readonly op: 'stat'; readonly path: string }
  | { readonly op: 'remove'; readonly path: string }
  | { readonly op: 'mkdir'; readonly path: string }
  | { readonly op: 'rmdir'; readonly path: string }
  | { readonly op: 'symlink'; readonly target: string; readonly path: string }
  | { readonly op: 'link'; readonly existing: string; readonly path: string }
  | { readonly op: 'rename'; readonly from: string; readonly to: string }
  | { readonly op: 'chdir'; readonly path: string }
  | { readonly op: 'sethostname'; readonly name: string }
  | { readonly op: 'hostname' }
  | { readonly op: 'uname' }
  | { readonly op: 'spawn'; readonly command: 'true' | 'false' }
  | { readonly op: 'getpid' }
  /** kill(pid, 0): may the caller see processes? all: kill(-1); init: pid 1; self: its own pid. */
  | { readonly op: 'probe'; readonly target: 'all' | 'init' | 'self' }
  /** How many processes /proc shows. */
  | { readonly op: 'procs' }
  /** cmdline of every process /proc shows (what ps -o args would print). */
  | { readonly op: 'cmdlines' }
  | { readonly op: 'cells' }
  | { readonly op: 'time' }
  | { readonly op: 'compute'; readonly ticks: number }
  | { readonly op: 'sleep'; readonly ticks: number }
  | { readonly op: 'msgget'; readonly key: number; readonly create: boolean }
  | { readonly op: 'msgsnd'; readonly key: number; readonly data: string }
  | { readonly op: 'msgrcv'; readonly key: number }
  | { readonly op: 'ipcs' }
  | { readonly op: 'alloc'; readonly bytes: number }
  | { readonly op: 'statfs'; readonly path: string }
  /** A UDP socket bound to 0.0.0.0:port, held until the program ends. */
  | { readonly op: 'bind'; readonly port: number }
  | { readonly op: 'settime'; readonly ms: number };

export type OpName = Op['op'];

/** What a world offers generated programs to name. */
export interface Vocabulary {
  /** Paths: the program's own, escapes by `..`, other cells' files as the host names them. */
  readonly paths: readonly string[];
  readonly hostnames: readonly string[];
  readonly keys: readonly number[];
  readonly ports: readonly number[];
}

/** Words written into files and messages: short, so that outputs stay readable in reports. */
export const WORDS = ['alpha', 'beta', 'gamma', 'delta'] as const;

/** `..` enough times to climb from any cell root in the examples to the host's root. */
export const CLIMB = '../../../../';

/** Paths every program may use inside its own view. */
export const OWN_PATHS = ['/tmp/a', '/tmp/b', '/tmp/d', '/tmp/d/a', 'a', '/etc/hostname', '/etc/passwd', '/bin/id', '/', '/tmp'] as const;

/**
 * The vocabulary of a world: its own paths, and for each host path given (relative to the host's
 * root, e.g. "etc/secret" or "jails/mail/tmp/a"), that path by `..` climbing and as an absolute
 * path (which, inside a cell, names a file of its own view).
 */
export function vocabulary(hostPaths: readonly string[], hostnames: readonly string[]): Vocabulary {
  const paths = new Set<string>(OWN_PATHS);
  for (const path of hostPaths) {
    paths.add(CLIMB + path);
    paths.add(`/${path}`);
  }
  return { paths: [...paths], hostnames: [...hostnames, 'evil'], keys: [7, 42, 1234], ports: [7000, 7001, 8080] };
}

/** Which kinds of operation a program may contain (and how often, relative). */
export type Mix = Partial<Record<OpName, number>>;

/** Everything, with file operations the most frequent. */
export const FULL_MIX: Mix = {
  write: 6, read: 5, list: 3, stat: 2, remove: 2, mkdir: 2, rmdir: 1, symlink: 1, link: 1, rename: 1, chdir: 1,
  sethostname: 3, hostname: 3, uname: 1, spawn: 2, getpid: 1, probe: 2, procs: 2, cmdlines: 1, cells: 1, time: 1,
  compute: 1, sleep: 1, msgget: 2, msgsnd: 1, msgrcv: 1, ipcs: 1, alloc: 1, statfs: 1, bind: 1, settime: 1,
};

/** An arbitrary operation drawn from `mix` over `vocab`. */
export function opArbitrary(vocab: Vocabulary, mix: Mix = FULL_MIX): fc.Arbitrary<Op> {
  const path = fc.constantFrom(...vocab.paths);
  const word = fc.constantFrom(...WORDS);
  const key = fc.constantFrom(...vocab.keys);
  const builders: Record<OpName, () => fc.Arbitrary<Op>> = {
    write: () => fc.record({ op: fc.constant('write' as const), path, data: word, append: fc.boolean() }),
    read: () => fc.record({ op: fc.constant('read' as const), path }),
    list: () => fc.record({ op: fc.constant('list' as const), path }),
    stat: () => fc.record({ op: fc.constant('stat' as const), path }),
    remove: () => fc.record({ op: fc.constant('remove' as const), path }),
    mkdir: () => fc.record({ op: fc.constant('mkdir' as const), path }),
    rmdir: () => fc.record({ op: fc.constant('rmdir' as const), path }),
    symlink: () => fc.record({ op: fc.constant('symlink' as const), target: path, path }),
    link: () => fc.record({ op: fc.constant('link' as const), existing: path, path }),
    rename: () => fc.record({ op: fc.constant('rename' as const), from: path, to: path }),
    chdir: () => fc.record({ op: fc.constant('chdir' as const), path }),
    sethostname: () => fc.record({ op: fc.constant('sethostname' as const), name: fc.constantFrom(...vocab.hostnames) }),
    hostname: () => fc.constant({ op: 'hostname' as const }),
    uname: () => fc.constant({ op: 'uname' as const }),
    spawn: () => fc.record({ op: fc.constant('spawn' as const), command: fc.constantFrom('true' as const, 'false' as const) }),
    getpid: () => fc.constant({ op: 'getpid' as const }),
    probe: () => fc.record({ op: fc.constant('probe' as const), target: fc.constantFrom('all' as const, 'init' as const, 'self' as const) }),
    procs: () => fc.constant({ op: 'procs' as const }),
    cmdlines: () => fc.constant({ op: 'cmdlines' as const }),
    cells: () => fc.constant({ op: 'cells' as const }),
    time: () => fc.constant({ op: 'time' as const }),
    compute: () => fc.record({ op: fc.constant('compute' as const), ticks: fc.integer({ min: 1, max: 30 }) }),
    sleep: () => fc.record({ op: fc.constant('sleep' as const), ticks: fc.integer({ min: 1, max: 30 }) }),
    msgget: () => fc.record({ op: fc.constant('msgget' as const), key, create: fc.boolean() }),
    msgsnd: () => fc.record({ op: fc.constant('msgsnd' as const), key, data: word }),
    msgrcv: () => fc.record({ op: fc.constant('msgrcv' as const), key }),
    ipcs: () => fc.constant({ op: 'ipcs' as const }),
    alloc: () => fc.record({ op: fc.constant('alloc' as const), bytes: fc.constantFrom(1024, 65536) }),
    statfs: () => fc.record({ op: fc.constant('statfs' as const), path: fc.constantFrom('/', '/tmp') }),
    bind: () => fc.record({ op: fc.constant('bind' as const), port: fc.constantFrom(...vocab.ports) }),
    settime: () => fc.record({ op: fc.constant('settime' as const), ms: fc.constantFrom(0, 86_400_000) }),
  };
  const weighted = (Object.entries(mix) as [OpName, number][])
    .filter(([, weight]) => weight > 0)
    .map(([name, weight]) => ({ arbitrary: builders[name](), weight }));
  return fc.oneof(...weighted);
}

/**
 * Swarm testing (Groce et al., 2012): each run draws a narrow configuration first (four to ten kinds
 * of operation, two to four paths, one hostname, key and port) and every program of the run draws
 * from it, so that programs of different cells meet on the same names far more often than draws
 * from the whole vocabulary would.
 */
export function swarmArbitrary(vocab: Vocabulary, base: Mix = FULL_MIX): fc.Arbitrary<{ readonly vocab: Vocabulary; readonly mix: Mix }> {
  const kinds = (Object.entries(base) as [OpName, number][]).filter(([, w]) => w > 0).map(([name]) => name);
  const one = <T>(items: readonly T[]): fc.Arbitrary<T[]> => fc.subarray([...items], { minLength: 1, maxLength: 1 });
  return fc
    .record({
      paths: fc.subarray([...vocab.paths], { minLength: 2, maxLength: 4 }),
      hostnames: one(vocab.hostnames),
      keys: one(vocab.keys),
      ports: one(vocab.ports),
      kinds: fc.subarray(kinds, { minLength: 4, maxLength: 10 }),
    })
    .map(({ kinds: chosen, ...narrow }) => ({ vocab: narrow, mix: Object.fromEntries(chosen.map((k) => [k, base[k] ?? 1])) }));
}

/** An arbitrary program: a list of operations. */
export function programArbitrary(vocab: Vocabulary, options: { readonly mix?: Mix; readonly maxLength?: number } = {}): fc.Arbitrary<Op[]> {
  return fc.array(opArbitrary(vocab, options.mix), { minLength: 1, maxLength: options.maxLength ?? 12 });
}

/**
 * What a low cell looks at after its generated program, so that whatever another cell changed
 * has a chance to show: its hostname, the processes and cells it sees, the IPC objects of every
 * key, its own files, filesystem usage and the clock.
 */
export function observationSweep(vocab: Vocabulary): Op[] {
  return [
    { op: 'hostname' },
    { op: 'uname' },
    { op: 'procs' },
    { op: 'probe', target: 'all' },
    { op: 'probe', target: 'init' },
    { op: 'cells' },
    { op: 'ipcs' },
    ...vocab.keys.map((key): Op => ({ op: 'msgget', key, create: false })),
    { op: 'list', path: '/' },
    { op: 'list', path: '/tmp' },
    { op: 'read', path: '/tmp/a' },
    { op: 'statfs', path: '/' },
    { op: 'time' },
  ];
}

/** One line per operation, as reports show a program. */
export function describeOp(o: Op): string {
  const fields = Object.entries(o)
    .filter(([key]) => key !== 'op')
    .map(([, value]) => (typeof value === 'string' ? value : JSON.stringify(value)));
  return [o.op, ...fields].join(' ');
}
