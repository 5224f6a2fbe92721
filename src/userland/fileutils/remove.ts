/** Removing a path or a whole tree, shared by rm and by mv's cross-device fallback. */
import type { Sys } from '../../kernel/abi.js';
import { errnoOf, print, printErr, warn } from '../lib.js';
import { isDir } from './modes.js';
import { join } from './paths.js';
import { entries } from './tree.js';

export interface RemoveFlags {
  /** Missing files are not an error (rm -f). */
  readonly force: boolean;
  /** Directories are removed with their contents (rm -r). */
  readonly recursive: boolean;
  /** Empty directories are removed (rm -d). */
  readonly emptyDirs: boolean;
  /** Each removed path is printed (rm -v). */
  readonly verbose: boolean;
}

/**
 * Removes one path, a whole tree when recursive; reports each failure as `prog: path: error`
 * and answers whether everything went.
 */
export async function remove(sys: Sys, prog: string, path: string, flags: RemoveFlags): Promise<boolean> {
  try {
    const st = await sys.lstat(path);
    if (!isDir(st.mode)) {
      await sys.unlink(path);
    } else if (flags.recursive) {
      let ok = true;
      for (const name of await entries(sys, path)) ok = (await remove(sys, prog, join(path, name), flags)) && ok;
      if (!ok) return false;
      await sys.rmdir(path);
    } else if (flags.emptyDirs) {
      await sys.rmdir(path);
    } else {
      await printErr(sys, `${prog}: ${path}: is a directory\n`);
      return false;
    }
    if (flags.verbose) await print(sys, `${path}\n`);
    return true;
  } catch (err) {
    if (flags.force && errnoOf(err) === 'ENOENT') return true;
    await warn(sys, prog, err, path);
    return false;
  }
}
