/**
 * The table cannot lie (issue 7.1): every call the syscall table marks insensitive, run with
 * generated arguments inside jail "a" of a world with other cells, leaves everything outside
 * that cell unchanged (files, processes, hostnames, SysV IPC, sockets, partitions, CPU settings,
 * the clock). And the check bites: a table that marks a sensitive call insensitive is caught,
 * and so is an insensitive-looking call once the mechanism behind it is switched off.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { SYSCALLS, type SyscallRow } from '../../src/index.js';
import { ADDR, buildWorld, type World } from './world.js';
import { diffDigests, digestOutside } from '../../src/harness/digest.js';
import { INSENSITIVE_GENERATORS, runSequence, sequences, type Generators } from './insensitive.js';

const insensitive = (rows: readonly SyscallRow[]): string[] => rows.filter((row) => !row.sensitive).map((row) => row.name);

/** Runs the check over `names`; resolves to the first counterexample's changed lines, or null. */
async function check(w: World, names: readonly string[], generators: Generators, options: { seed: number; numRuns: number }, seen?: Map<string, number>): Promise<string[] | null> {
  let changed: string[] | null = null;
  const result = await fc.check(
    fc.asyncProperty(sequences(w, names, generators), async (calls) => {
      const r = await runSequence(w, calls);
      for (const c of calls) seen?.set(c.name, (seen.get(c.name) ?? 0) + 1);
      if (r.changed.length > 0) changed = [...r.changed, `calls: ${JSON.stringify(calls.map((c, i) => `${c.name}(${c.args.map(show).join(', ')}) = ${r.outcomes[i] ?? '(did not return)'}`))}`];
      return r.changed.length === 0;
    }),
    { ...options, endOnFailure: true },
  );
  return result.failed ? changed : null;
}

function show(arg: unknown): string {
  if (arg instanceof Uint8Array) return `bytes(${arg.length})`;
  if (typeof arg === 'number' && !Number.isFinite(arg)) return String(arg);
  return JSON.stringify(arg) ?? 'undefined';
}

describe('insensitive calls change nothing outside the caller\'s cell', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld();
  });

  it('has an argument generator for every call the table marks insensitive', () => {
    const names = insensitive(SYSCALLS);
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((n) => INSENSITIVE_GENERATORS[n] === undefined)).toEqual([]);
  });

  it('holds for generated sequences of every insensitive call, valid and invalid arguments', async () => {
    const names = insensitive(SYSCALLS);
    const seen = new Map<string, number>();
    const changed = await check(w, names, INSENSITIVE_GENERATORS, { seed: 7, numRuns: 150 }, seen);
    expect(changed).toBeNull();
    // Every call the table marks insensitive really ran.
    expect(names.filter((n) => (seen.get(n) ?? 0) === 0)).toEqual([]);
  });

  it('notices a change outside the cell (the digest is not blind)', async () => {
    // The host writes a file while the jail's program runs: the digest must differ.
    const before = digestOutside(w.k, w.cell);
    await w.k.host.exec(['sh', '-c', 'echo changed >> /secret']);
    const after = digestOutside(w.k, w.cell);
    expect(after.hash).not.toBe(before.hash);
    expect(diffDigests(before, after)).toEqual([
      expect.stringMatching(/^files - \/secret f .* size=12 /),
      expect.stringMatching(/^files \+ \/secret f .* size=20 /),
      expect.stringMatching(/^partitions - cell=host .* disk=61\//),
      expect.stringMatching(/^partitions \+ cell=host .* disk=69\//),
    ]);
  });
});

describe('the check bites', () => {
  it('catches a table that marks connect insensitive (it reaches jail b\'s listener)', async () => {
    const w = await buildWorld();
    const lying = SYSCALLS.map((row) => (row.name === 'connect' ? { ...row, sensitive: false } : row));
    const generators: Generators = {
      ...INSENSITIVE_GENERATORS,
      connect: () => fc.tuple(fc.constantFrom<unknown>(10, 9, 7), fc.constantFrom<unknown>({ address: ADDR.b, port: 80 }, { address: ADDR.host, port: 80 })),
    };
    const changed = await check(w, insensitive(lying), generators, { seed: 1, numRuns: 200 });
    expect(changed).not.toBeNull();
    expect(changed!.join('\n')).toMatch(/net [-+] .*owner=(b|host)/);
  });

  it('catches sethostname marked insensitive once the UTS namespaces are switched off', async () => {
    const lying = SYSCALLS.map((row) => (row.name === 'sethostname' ? { ...row, sensitive: false } : row));
    const generators: Generators = { ...INSENSITIVE_GENERATORS, sethostname: () => fc.tuple(fc.string({ minLength: 1, maxLength: 12 })) };
    // With its mechanism on, sethostname in a jail changes only the jail's name: nothing outside.
    const safe = await buildWorld();
    expect(await check(safe, ['sethostname', 'getpid'], generators, { seed: 1, numRuns: 30 })).toBeNull();
    // Without it, the same call renames the host and jail b: the check fails.
    const unsafe = await buildWorld({ unsafe: ['utsVirtualization'] });
    const changed = await check(unsafe, insensitive(lying), generators, { seed: 1, numRuns: 200 });
    expect(changed).not.toBeNull();
    expect(changed!.join('\n')).toMatch(/cells [-+] cell=host .*hostname=/);
  });
});
