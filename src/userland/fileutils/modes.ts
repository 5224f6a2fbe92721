/** File types and permission strings from st_mode. */
import { S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK } from '../../kernel/abi.js';
import type { Sys } from '../../kernel/abi.js';

export const isDir = (mode: number): boolean => (mode & S_IFMT) === S_IFDIR;
export const isReg = (mode: number): boolean => (mode & S_IFMT) === S_IFREG;
export const isLink = (mode: number): boolean => (mode & S_IFMT) === S_IFLNK;

const TYPE_CHAR: Readonly<Record<number, string>> = {
  [S_IFDIR]: 'd',
  [S_IFREG]: '-',
  [S_IFLNK]: 'l',
  [S_IFCHR]: 'c',
  [S_IFIFO]: 'p',
  [S_IFSOCK]: 's',
};

/** strmode(3) without its trailing space: `drwxr-xr-x`, with s/S and t/T for the special bits. */
export function modeString(mode: number): string {
  const type = TYPE_CHAR[mode & S_IFMT] ?? '?';
  const triplet = (shift: number, special: boolean, on: string, off: string): string => {
    const bits = (mode >> shift) & 7;
    const x = bits & 1;
    const exec = special ? (x ? on : off) : x ? 'x' : '-';
    return `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${exec}`;
  };
  return type + triplet(6, (mode & 0o4000) !== 0, 's', 'S') + triplet(3, (mode & 0o2000) !== 0, 's', 'S') + triplet(0, (mode & 0o1000) !== 0, 't', 'T');
}

/** stat(2) that answers undefined instead of failing, for "does it exist and what is it". */
export async function statOrNone(sys: Sys, path: string): Promise<number | undefined> {
  try {
    return (await sys.stat(path)).mode;
  } catch {
    return undefined;
  }
}
