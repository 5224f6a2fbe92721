// Regenerates the files generated from the kernel's tables: docs/syscalls.md is the audit's
// markdown (`cellblock audit --markdown`).
import { writeFileSync } from 'node:fs';
import { syscallTableMarkdown } from '../src/kernel/syscall-doc.js';

writeFileSync(new URL('../docs/syscalls.md', import.meta.url), syscallTableMarkdown());
