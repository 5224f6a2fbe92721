/**
 * SysV IPC namespaces: each holds its own message queues and shared memory segments, keyed by
 * the IPC key a program names, so the same key in two cells names two different objects.
 * Owned by the ipc subsystem.
 */
export class IpcNamespace {
  constructor(readonly id: number) {}
}
