/**
 * Errno values and the two kinds of kernel failure.
 *
 * A SysError is a normal answer to a program (the call failed with an errno), shaped like the
 * errors Node's fs throws. A KernelPanic is a broken kernel invariant: it stops the run and is
 * never turned into an errno. Numbers follow Linux so that shell statuses and messages match
 * what users know.
 */

export const ERRNO = {
  EPERM: [1, 'Operation not permitted'],
  ENOENT: [2, 'No such file or directory'],
  ESRCH: [3, 'No such process'],
  EINTR: [4, 'Interrupted system call'],
  EIO: [5, 'Input/output error'],
  ENXIO: [6, 'No such device or address'],
  E2BIG: [7, 'Argument list too long'],
  ENOEXEC: [8, 'Exec format error'],
  EBADF: [9, 'Bad file descriptor'],
  ECHILD: [10, 'No child processes'],
  EAGAIN: [11, 'Resource temporarily unavailable'],
  ENOMEM: [12, 'Cannot allocate memory'],
  EACCES: [13, 'Permission denied'],
  EFAULT: [14, 'Bad address'],
  EBUSY: [16, 'Device or resource busy'],
  EEXIST: [17, 'File exists'],
  EXDEV: [18, 'Invalid cross-device link'],
  ENODEV: [19, 'No such device'],
  ENOTDIR: [20, 'Not a directory'],
  EISDIR: [21, 'Is a directory'],
  EINVAL: [22, 'Invalid argument'],
  ENFILE: [23, 'Too many open files in system'],
  EMFILE: [24, 'Too many open files'],
  ENOTTY: [25, 'Inappropriate ioctl for device'],
  EFBIG: [27, 'File too large'],
  ENOSPC: [28, 'No space left on device'],
  ESPIPE: [29, 'Illegal seek'],
  EROFS: [30, 'Read-only file system'],
  EMLINK: [31, 'Too many links'],
  EPIPE: [32, 'Broken pipe'],
  ERANGE: [34, 'Numerical result out of range'],
  EDEADLK: [35, 'Resource deadlock avoided'],
  ENAMETOOLONG: [36, 'File name too long'],
  ENOSYS: [38, 'Function not implemented'],
  ENOTEMPTY: [39, 'Directory not empty'],
  ELOOP: [40, 'Too many levels of symbolic links'],
  ENOMSG: [42, 'No message of desired type'],
  EIDRM: [43, 'Identifier removed'],
  ENOTSOCK: [88, 'Socket operation on non-socket'],
  EDESTADDRREQ: [89, 'Destination address required'],
  EMSGSIZE: [90, 'Message too long'],
  EPROTOTYPE: [91, 'Protocol wrong type for socket'],
  ENOPROTOOPT: [92, 'Protocol not available'],
  EPROTONOSUPPORT: [93, 'Protocol not supported'],
  EOPNOTSUPP: [95, 'Operation not supported'],
  EAFNOSUPPORT: [97, 'Address family not supported by protocol'],
  EADDRINUSE: [98, 'Address already in use'],
  EADDRNOTAVAIL: [99, 'Cannot assign requested address'],
  ENETDOWN: [100, 'Network is down'],
  ENETUNREACH: [101, 'Network is unreachable'],
  ECONNRESET: [104, 'Connection reset by peer'],
  ENOBUFS: [105, 'No buffer space available'],
  EISCONN: [106, 'Transport endpoint is already connected'],
  ENOTCONN: [107, 'Transport endpoint is not connected'],
  ETIMEDOUT: [110, 'Connection timed out'],
  ECONNREFUSED: [111, 'Connection refused'],
  EHOSTUNREACH: [113, 'No route to host'],
  EALREADY: [114, 'Operation already in progress'],
  EINPROGRESS: [115, 'Operation now in progress'],
  EDQUOT: [122, 'Disk quota exceeded'],
} as const satisfies Record<string, readonly [number, string]>;

export type Errno = keyof typeof ERRNO;

/** The message strerror(3) gives for an errno name, e.g. "No such file or directory". */
export function strerror(code: Errno): string {
  return ERRNO[code][1];
}

export function isErrno(code: unknown): code is Errno {
  return typeof code === 'string' && Object.hasOwn(ERRNO, code);
}

/** A failed syscall. Shaped like Node's fs errors: code, errno, syscall, path. */
export class SysError extends Error {
  readonly code: Errno;
  readonly errno: number;
  syscall: string;
  path: string | undefined;
  /** The kernel's own words for why, where it has them (FreeBSD's jail errmsg: "prison limit exceeded"). */
  readonly detail: string | undefined;

  constructor(code: Errno, syscall = '', path?: string, detail?: string) {
    super(detail ?? (path === undefined ? `${code}: ${strerror(code)}` : `${code}: ${strerror(code)}, '${path}'`));
    this.detail = detail;
    this.name = 'SysError';
    this.code = code;
    this.errno = ERRNO[code][0];
    this.syscall = syscall;
    this.path = path;
  }
}

/** A broken kernel invariant. Never caught by the dispatcher, never turned into an errno. */
export class KernelPanic extends Error {
  constructor(message: string) {
    super(`kernel panic: ${message}`);
    this.name = 'KernelPanic';
  }
}

/** Shorthand for handlers: `throw fail('ENOENT')`. The dispatcher fills in syscall and path. */
export function fail(code: Errno, path?: string, detail?: string): SysError {
  return new SysError(code, '', path, detail);
}
