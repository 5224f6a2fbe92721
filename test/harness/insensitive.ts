/**
 * The check that the syscall table cannot lie about sensitivity: every call a table marks
 * insensitive is run, with generated arguments (fast-check; valid-looking and invalid), by a
 * program inside the attacker cell of a world (world.ts), and the digest of everything outside
 * that cell (src/harness/digest.ts) must be the same before and after. The table and the
 * argument generators are parameters, so a test can hand in a table that lies and see the check
 * fail.
 */
import fc from 'fast-check';
import {
  AF_INET, DeadlockError, O_CREAT, O_DIRECTORY, O_RDONLY, O_RDWR, POLLIN, POLLOUT, SOCK_DGRAM, SOCK_STREAM,
  type Sys,
} from '../../src/index.js';
import { digestOutside, diffDigests, type Digest } from '../../src/harness/digest.js';
import { ADDR, type World } from './world.js';

/** Stands for the pid of the child the program spawned in its setup (known only at run time). */
export const CHILD = '<child>';

/** One call of a sequence: a syscall name and its arguments. */
export interface Call {
  readonly name: string;
  readonly args: readonly unknown[];
}

/** Argument generators by call name, given the world (its pids and addresses). */
export type Generators = Readonly<Record<string, (w: World) => fc.Arbitrary<unknown[]>>>;

const fd = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -1, max: 11 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(64, 1000, 2 ** 31, NaN, 1.5, '3', null, undefined) },
);
const size = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -5, max: 70000 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(0, 1, 2 ** 40, NaN, Infinity, -1, '10', null) },
);
const data = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(42, null, {}, undefined) },
);
const ticks = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(-1, NaN, 100000, '5', null) },
);
const flags = fc.oneof(fc.integer({ min: 0, max: 0x7fff }), fc.constantFrom<unknown>(-1, NaN, 'x', 0x40, 0x4000));
const id = fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.constantFrom<unknown>(-1, 2 ** 32, NaN, '0', null));
const sockopt = fc.constantFrom<unknown>('SO_RCVTIMEO', 'SO_SNDTIMEO', 'SO_REUSEADDR', 'SO_SNDBUF', 'SO_RCVBUF', 'SO_ERROR', 'SO_TYPE', 'SO_BOGUS', 7, null);
const pollfds = fc.oneof(
  fc.array(fc.record({ fd, events: fc.constantFrom<unknown>(POLLIN, POLLOUT, POLLIN | POLLOUT, 0, -1, 'x') }), { maxLength: 4 }),
  fc.constantFrom<unknown>(null, 5, [null], 'fds'),
);
const pid = (w: World): fc.Arbitrary<unknown> =>
  fc.oneof(fc.integer({ min: -3, max: 40 }), fc.constantFrom<unknown>(-1, 0, 1, CHILD, w.pids.host, w.pids.b, w.pids.z, 99999, NaN, 'x'));
const none = (): fc.Arbitrary<unknown[]> => fc.constant([]);
const tuple = (...parts: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown[]> => fc.tuple(...parts);

/** Arguments for every call the kernel's table marks insensitive. */
export const INSENSITIVE_GENERATORS: Generators = {
  wait: (w) => tuple(pid(w), fc.constantFrom<unknown>(0, 1, 1, 1, -1, 'x')),
  exit: () => tuple(fc.oneof(fc.integer({ min: -1, max: 300 }), fc.constantFrom<unknown>(NaN, 'x'))),
  getpid: none,
  getppid: none,
  getuid: none,
  getgid: none,
  getgroups: none,
  setuid: () => tuple(id),
  setgid: () => tuple(id),
  setgroups: () => tuple(fc.oneof(fc.array(id, { maxLength: 4 }), fc.constantFrom<unknown>(null, 5, 'x'))),
  alloc: () => tuple(size),
  free: () => tuple(size),
  close: () => tuple(fd),
  read: () => tuple(fd, size),
  write: () => tuple(fd, data),
  lseek: () => tuple(fd, size, fc.constantFrom<unknown>(0, 1, 2, 3, -1, 'x')),
  pipe: none,
  dup: () => tuple(fd),
  dup2: () => tuple(fd, fd),
  fstat: () => tuple(fd),
  fchdir: () => tuple(fd),
  isatty: () => tuple(fd),
  poll: () => tuple(pollfds, fc.constantFrom<unknown>(-1, 0, 0, 5, 50, NaN, 'x')),
  getcwd: none,
  time: none,
  gettime: none,
  sleep: () => tuple(ticks),
  compute: () => tuple(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom<unknown>(-1, NaN, 'x'))),
  accept: () => tuple(fd),
  send: () => tuple(fd, data, flags),
  recv: () => tuple(fd, size, flags),
  shutdown: () => tuple(fd, fc.constantFrom<unknown>(0, 1, 2, 3, -1, 'x')),
  getsockname: () => tuple(fd),
  getpeername: () => tuple(fd),
  setsockopt: () => tuple(fd, sockopt, fc.oneof(fc.integer({ min: -1, max: 1 << 22 }), fc.constantFrom<unknown>(NaN, 'x'))),
  getsockopt: () => tuple(fd, sockopt),
};

/** Generated sequences of calls to the named syscalls; `exit`, if named, only comes last. */
export function sequences(w: World, names: readonly string[], generators: Generators): fc.Arbitrary<Call[]> {
  const call = (name: string): fc.Arbitrary<Call> => {
    const gen = generators[name];
    if (gen === undefined) throw new Error(`no argument generator for ${name}`);
    return gen(w).map((args) => ({ name, args }));
  };
  const body = names.filter((n) => n !== 'exit');
  const last = names.includes('exit') ? fc.option(call('exit'), { freq: 4 }) : fc.constant(null);
  return fc
    .tuple(fc.array(fc.oneof(...body.map(call)), { minLength: 1, maxLength: 10 }), last)
    .map(([calls, end]) => (end === null ? calls : [...calls, end]));
}

/**
 * What a program holds when its generated calls start: descriptors 0-2 (the harness's streams),
 * 3 a file of its own, 4/5 a pipe, 6 its root directory, 7 a TCP listener on its address, 8 a
 * connection to it, 9 a bound UDP socket, 10 a fresh TCP socket; and a child process.
 */
async function setup(sys: Sys): Promise<number> {
  const file = await sys.open('/tmp/own', O_CREAT | O_RDWR, 0o644);
  await sys.write(file, 'own data');
  await sys.pipe();
  await sys.open('/', O_RDONLY | O_DIRECTORY);
  const listener = await sys.socket(AF_INET, SOCK_STREAM);
  await sys.bind(listener, { address: ADDR.a, port: 0 });
  await sys.listen(listener, 4);
  const { port } = (await sys.getsockname(listener)) as { port: number };
  const client = await sys.socket(AF_INET, SOCK_STREAM);
  await sys.connect(client, { address: ADDR.a, port });
  const udp = await sys.socket(AF_INET, SOCK_DGRAM);
  await sys.bind(udp, { address: ADDR.a, port: 0 });
  await sys.socket(AF_INET, SOCK_STREAM);
  return sys.spawn('/bin/true', ['true']);
}

export interface RunResult {
  /** Lines of the outside digest that changed (empty: nothing outside changed). */
  readonly changed: readonly string[];
  /** How each call ended: its errno, or OK. */
  readonly outcomes: readonly string[];
}

/** Runs one sequence in the world's attacker cell; compares the outside digest before and after. */
export async function runSequence(w: World, calls: readonly Call[]): Promise<RunResult> {
  let before: Digest | undefined;
  let pid = 0;
  const outcomes: string[] = [];
  const run = w.a.run(async (sys) => {
    pid = await sys.getpid();
    const child = await setup(sys);
    before = digestOutside(w.k, w.cell);
    for (const { name, args } of calls) {
      const real = args.map((arg) => (arg === CHILD ? child : arg));
      try {
        await (sys.syscall as (name: string, ...args: unknown[]) => Promise<unknown>)(name, ...real);
        outcomes.push('OK');
      } catch (err) {
        outcomes.push((err as { code?: string }).code ?? String(err));
      }
    }
    return 0;
  }, ['insensitive']);
  try {
    await run;
  } catch (err) {
    // The program blocked for good (a read of its own empty pipe): end it, then compare.
    if (!(err instanceof DeadlockError)) throw err;
    const p = w.k.procs.get(pid);
    if (p !== undefined && p.alive) w.k.signalProcess(p, 'SIGKILL');
    w.k.kick();
  }
  if (before === undefined) throw new Error('the program never reached its calls');
  return { changed: diffDigests(before, digestOutside(w.k, w.cell)), outcomes };
}
