// The `cellblock` command's body: run by cmd/cellblock.js through tsx, or compiled by
// scripts/build.ts (then its entry imports this module's JavaScript directly).
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
