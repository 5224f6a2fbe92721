/**
 * The program corpus equivalence and efficiency run: shell scripts over the userland (sh, echo,
 * cat, wc, grep, head, tail, ls, cp, mv, ln, rm, mkdir, dd, test, hostname, uname, id, kill,
 * sleep), fixed ones and generated ones, each run in a scratch directory (/tmp/eq) of the side
 * that runs it (the host or a cell). Outputs are compared modulo the declared differences:
 * each side's own hostname (its configured one) reads as HOSTNAME, each side's own root marker
 * (a file /eq-marker written at setup) reads as the same word; pids are never printed.
 * No state.
 */
import fc from 'fast-check';
import { O_CREAT, O_TRUNC, O_WRONLY } from '../kernel/abi.js';
import type { ExecResult, HostApi } from '../kernel/host-api.js';
import type { ManagedCell } from '../cells/managed.js';
import type { CellSpec } from '../spec/index.js';

export const SCRATCH = '/tmp/eq';

/** Differences the comparison forgives, as reports list them. */
export const DECLARED_DIFFERENCES = [
  'hostname: each side prints its own configured hostname (read as HOSTNAME)',
  'paths: each side has its own root; /eq-marker there names the side (read as SELF)',
  'pids: no script prints one (the pid numbers are shared with the host)',
] as const;

/** Scripts a run draws from; `hostname` ones only where the cell has a hostname of its own. */
export const FIXED_SCRIPTS: readonly string[] = [
  'echo hello world | wc',
  'echo alpha > f; echo beta >> f; cat f; wc -l f; grep beta f; head -n 1 f; tail -n 1 f',
  'mkdir d; echo x > d/y; ls d; cp d/y d/z; mv d/z d/w; ls d; rm d/y d/w; rmdir d; ls',
  'ln -s f l; cat l; ls',
  'id; whoami; pwd; echo $HOME $SHELL $USER',
  'cat /etc/passwd | grep root | wc -l; ls /etc; ls /bin | wc -l',
  'cd ../../../..; cat eq-marker; cat /../../eq-marker',
  'echo abc > src; dd if=src of=z bs=1k 2>err; wc -c z',
  'for i in 1 2 3; do echo line $i; done > g; wc -l g; grep 2 g',
  'test -f nope || echo absent; cat nope',
  'kill -0 $$ && echo alive',
  'sleep 1; echo $((6 * 7))',
];

export const HOSTNAME_SCRIPTS: readonly string[] = ['hostname; uname -n; uname -s'];

const FILES = ['f', 'g', 'h'] as const;
const WORDS = ['alpha', 'beta', 'gamma'] as const;

/** A generated script: one to four userland commands over a few files of the scratch directory. */
export function scriptArbitrary(): fc.Arbitrary<string> {
  const file = fc.constantFrom(...FILES);
  const word = fc.constantFrom(...WORDS);
  const command = fc.oneof(
    fc.tuple(word, file).map(([w, f]) => `echo ${w} > ${f}`),
    fc.tuple(word, file).map(([w, f]) => `echo ${w} >> ${f}`),
    file.map((f) => `cat ${f}`),
    file.map((f) => `wc ${f}`),
    file.map((f) => `wc -l ${f}`),
    fc.tuple(word, file).map(([w, f]) => `grep ${w} ${f}`),
    file.map((f) => `head -n 1 ${f}`),
    file.map((f) => `tail -n 1 ${f}`),
    fc.tuple(file, file).map(([a, b]) => `cp ${a} ${b}`),
    fc.tuple(file, file).map(([a, b]) => `mv ${a} ${b}`),
    file.map((f) => `rm ${f}`),
    fc.constant('ls'),
    file.map((f) => `mkdir ${f}.d`),
    file.map((f) => `rmdir ${f}.d`),
    fc.tuple(file, file).map(([a, b]) => `ln -s ${a} ${b}.l`),
    file.map((f) => `test -f ${f} && echo yes || echo no`),
  );
  return fc.array(command, { minLength: 1, maxLength: 4 }).map((cmds) => cmds.join('; '));
}

/** The hostname a cell's spec gives it (what it should see as its own); "" for none. */
export function configuredHostname(spec: CellSpec): string {
  return spec.kind === 'jail' ? (spec['host.hostname'] ?? '') : (spec.hostname ?? spec.zonename);
}

/** One side of a comparison: where scripts run, and what of its output is its own. */
export interface Side {
  readonly label: string;
  readonly api: HostApi | ManagedCell;
  /** Its own hostname, read as HOSTNAME. */
  readonly hostname: string;
}

/** Makes the scratch directory and the root marker of a side. */
export async function prepare(side: Side): Promise<void> {
  const r = await side.api.run(async (sys) => {
    const fd = await sys.open('/eq-marker', O_CREAT | O_WRONLY | O_TRUNC, 0o644);
    await sys.write(fd, `root-of-${side.label}\n`);
    await sys.close(fd);
    await sys.mkdir(SCRATCH).catch(() => undefined);
    return 0;
  }, ['eq-setup']);
  if (r.exitCode !== 0) throw new Error(`equivalence setup failed in ${side.label}: ${r.stderr}`);
}

export interface ScriptResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a script on a side (sh -c, in the scratch directory) and normalizes what it printed. */
export async function runScript(side: Side, script: string): Promise<ScriptResult> {
  const r: ExecResult = await side.api.exec(['sh', '-c', script], { cwd: SCRATCH });
  return { exitCode: r.exitCode, stdout: normalize(side, r.stdout), stderr: normalize(side, r.stderr) };
}

function normalize(side: Side, text: string): string {
  let out = text.replaceAll(`root-of-${side.label}`, 'root-of-SELF');
  if (side.hostname !== '') out = out.replaceAll(side.hostname, 'HOSTNAME');
  return out;
}
