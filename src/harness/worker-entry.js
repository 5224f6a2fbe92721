// A check worker thread's entry: loads the TypeScript sources through tsx (as cmd/cellblock.js
// does for the main thread), then runs src/harness/worker.ts.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
