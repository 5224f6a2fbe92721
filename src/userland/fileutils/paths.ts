/** Path string helpers; the kernel resolves paths, these only build them. */

/** The last component, ignoring trailing slashes: basename(3). */
export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return path === '' ? '' : '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Everything before the last component: dirname(3). */
export function dirname(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const at = trimmed.lastIndexOf('/');
  if (at < 0) return '.';
  return at === 0 ? '/' : trimmed.slice(0, at).replace(/\/+$/, '') || '/';
}

/** `dir/name` without doubling the slash after `/` or `dir/`. */
export function join(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}
