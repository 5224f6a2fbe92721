/**
 * cellblock's public API: the same one the CLI, the tests and the harness use.
 *
 *   const k = await Kernel.boot({ seed: 1, cpus: 1 });
 *   const r = await k.host.exec(['sh', '-c', 'echo hi; hostname']); // { exitCode, stdout, stderr }
 *   const p = await k.host.run(async (sys, argv, env) => 0, ['probe']);
 */
export { Kernel, type BootOptions } from './kernel/kernel.js';
export type { ExecOptions, ExecResult } from './kernel/host-api.js';
export { HostApi, DEFAULT_PATH } from './kernel/host-api.js';
export { InputStream } from './kernel/stream.js';
export { SysError, KernelPanic, ERRNO, strerror, type Errno } from './kernel/errno.js';
export { DeadlockError } from './kernel/deadlock.js';
export { SYSCALLS, type SyscallRow } from './kernel/syscall-table.js';
export { PRIVILEGES, type Privilege } from './kernel/privileges.js';
export * from './kernel/abi.js';
