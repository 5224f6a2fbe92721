/**
 * Durable state for the CLI (issue 4, item 7): the state directory, its lock, its state file
 * and its filesystem snapshots.
 *
 *   const dir = resolveStateDir(argv.state);          // --state, $CELLBLOCK_STATE, ~/.cellblock
 *   const state = await StateDir.open(dir);            // creates it, takes the lock (LockError)
 *   for (const note of state.notes) console.error(note); // a stale lock taken over
 *   const file = await state.read();                   // StateFile | null (new directory)
 *   await state.loadFs('host', fs);                    // false when never saved
 *   ...
 *   await state.saveFs('host', fs);
 *   await state.write({ host, cells });                // atomic
 *   await state.close();
 *
 * Bad files throw StateError ("cellblock: PATH: reason") and are never overwritten.
 */
export { resolveStateDir } from './paths.js';
export { StateDir } from './state-dir.js';
export { StateError, LockError, type LockHolder } from './errors.js';
export { STATE_FORMAT, STATE_VERSION, type StateFile } from './state-file.js';
export type { LockOptions } from './lock.js';
