/**
 * Copying files and trees, shared by cp and by mv's cross-device fallback. Regular files keep
 * their permission bits; with `recursive`, directories are copied with their contents and
 * symbolic links as links (cp -R's -P default), otherwise links are followed.
 */
import { O_CREAT, O_TRUNC, O_WRONLY } from '../../kernel/abi.js';
import type { Stat, Sys } from '../../kernel/abi.js';
import { errnoOf, print, printErr, warn } from '../lib.js';
import { copyFd } from './input.js';
import { isDir, isLink } from './modes.js';
import { join } from './paths.js';
import { entries } from './tree.js';

export interface CopyFlags {
  readonly recursive: boolean;
  /** A destination that cannot be opened is removed and created again (cp -f). */
  readonly force: boolean;
  readonly verbose: boolean;
}

const identity = (st: Stat): string => `${st.dev}:${st.ino}`;

export class Copier {
  /** Directories this copy created: never descended into, so `cp -R d d/sub` ends. */
  private readonly made = new Set<string>();

  constructor(
    private readonly sys: Sys,
    private readonly prog: string,
    private readonly flags: CopyFlags,
  ) {}

  /** Copies `from` to `to`, reporting failures; answers whether everything was copied. */
  async copy(from: string, to: string): Promise<boolean> {
    const { sys } = this;
    let st: Stat;
    try {
      st = this.flags.recursive ? await sys.lstat(from) : await sys.stat(from);
    } catch (err) {
      await warn(sys, this.prog, err, from);
      return false;
    }
    if (this.made.has(identity(st))) return true;
    if (await this.sameFile(st, to)) {
      await printErr(sys, `${this.prog}: ${from} and ${to} are identical (not copied).\n`);
      return false;
    }
    if (isDir(st.mode)) {
      if (this.flags.recursive) return this.copyDir(from, to, st);
      await printErr(sys, `${this.prog}: ${from} is a directory (not copied).\n`);
      return false;
    }
    const ok = isLink(st.mode) ? await this.copyLink(from, to) : await this.copyFile(from, to, st);
    if (ok && this.flags.verbose) await print(sys, `${from} -> ${to}\n`);
    return ok;
  }

  private async sameFile(st: Stat, to: string): Promise<boolean> {
    try {
      return identity(await this.sys.stat(to)) === identity(st);
    } catch {
      return false;
    }
  }

  private async copyDir(from: string, to: string, st: Stat): Promise<boolean> {
    const { sys } = this;
    let created = false;
    try {
      const existing = await sys.stat(to).catch((err: unknown) => {
        if (errnoOf(err) === 'ENOENT') return undefined;
        throw err;
      });
      if (existing && !isDir(existing.mode)) {
        await printErr(sys, `${this.prog}: cannot overwrite non-directory ${to} with directory ${from}\n`);
        return false;
      }
      if (!existing) {
        // Owner rwx while filling it; the source's mode is applied once its contents are in.
        await sys.mkdir(to, (st.mode & 0o777) | 0o700);
        this.made.add(identity(await sys.stat(to)));
        created = true;
      }
    } catch (err) {
      await warn(sys, this.prog, err, to);
      return false;
    }
    let ok = true;
    try {
      for (const name of await entries(sys, from)) ok = (await this.copy(join(from, name), join(to, name))) && ok;
    } catch (err) {
      await warn(sys, this.prog, err, from);
      ok = false;
    }
    if (created) await sys.chmod(to, st.mode & 0o7777).catch(() => undefined);
    if (ok && this.flags.verbose) await print(sys, `${from} -> ${to}\n`);
    return ok;
  }

  private async copyLink(from: string, to: string): Promise<boolean> {
    const { sys } = this;
    try {
      const target = await sys.readlink(from);
      if (this.flags.force) await sys.unlink(to).catch(() => undefined);
      await sys.symlink(target, to);
      return true;
    } catch (err) {
      await warn(sys, this.prog, err, to);
      return false;
    }
  }

  private async copyFile(from: string, to: string, st: Stat): Promise<boolean> {
    const { sys } = this;
    let src: number;
    try {
      src = await sys.open(from);
    } catch (err) {
      await warn(sys, this.prog, err, from);
      return false;
    }
    try {
      const existed = (await sys.lstat(to).catch(() => undefined)) !== undefined;
      const dst = await this.openDestination(to, st.mode & 0o777);
      try {
        await copyFd(sys, src, dst);
      } finally {
        await sys.close(dst);
      }
      // A new file gets the source's mode whatever the kernel's creation mask; an old one keeps its own.
      if (!existed) await sys.chmod(to, st.mode & 0o7777);
      return true;
    } catch (err) {
      await warn(sys, this.prog, err, to);
      return false;
    } finally {
      await sys.close(src);
    }
  }

  private async openDestination(to: string, mode: number): Promise<number> {
    const flags = O_WRONLY | O_CREAT | O_TRUNC;
    try {
      return await this.sys.open(to, flags, mode);
    } catch (err) {
      if (!this.flags.force || errnoOf(err) === 'ENOENT') throw err;
      await this.sys.unlink(to);
      return this.sys.open(to, flags, mode);
    }
  }
}
