/**
 * state.json: the host's configuration and every cell's spec and state. This module checks the
 * envelope only (format name and version); the content belongs to the CLI, which validates it.
 *
 *   { "format": "cellblock-state", "version": 1, "host": ..., "cells": [...] }
 */
export const STATE_FORMAT = 'cellblock-state';
export const STATE_VERSION = 1;

/** The content of a state file: JSON values the CLI gives meaning to. */
export interface StateFile {
  readonly host: unknown;
  readonly cells: readonly unknown[];
}

/** A state file that is not usable; the message is the reason, without the path. */
export class BadStateFile extends Error {
  override name = 'BadStateFile';
}

/** Parses a state file, checking its envelope; throws BadStateFile. */
export function parseState(text: string): StateFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BadStateFile(`not a cellblock state file (${text.trim() === '' ? 'empty file' : (err as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new BadStateFile('not a cellblock state file (not a JSON object)');
  const f = json as Record<string, unknown>;
  if (f.format !== STATE_FORMAT) throw new BadStateFile(`not a cellblock state file (format is ${f.format === undefined ? 'missing' : JSON.stringify(f.format)})`);
  const version = f.version;
  if (typeof version === 'number' && Number.isSafeInteger(version) && version > STATE_VERSION) {
    throw new BadStateFile(`state format version ${version} is newer than this cellblock supports (${STATE_VERSION})`);
  }
  if (version !== STATE_VERSION) throw new BadStateFile(`unknown state format version ${version === undefined ? 'missing' : JSON.stringify(version)}`);
  if (!('host' in f)) throw new BadStateFile('malformed state file ("host" is missing)');
  if (!Array.isArray(f.cells)) throw new BadStateFile('malformed state file ("cells" is not an array)');
  return { host: f.host, cells: f.cells };
}

export function serializeState(state: StateFile): string {
  return `${JSON.stringify({ format: STATE_FORMAT, version: STATE_VERSION, host: state.host ?? null, cells: state.cells }, null, 2)}\n`;
}
