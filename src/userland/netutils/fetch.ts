/**
 * fetch(1), a subset of FreeBSD's: `fetch [-qv] [-o file|dir|-] [-T seconds] URL ...`.
 * HTTP/1.0 GET over TCP; the document goes to the file named by the last part of the URL's
 * path (fetch.out when it has none), to -o's file, into -o's directory, or to standard output
 * with `-o -`. Failures as libfetch reports them, status 1: `fetch: URL: Connection refused`,
 * `fetch: URL: Not Found` (any status but 200), `fetch: URL: No address record` (no resolver:
 * dotted quads and localhost only), `fetch: URL: parse error`. Without -q a line per document
 * goes to standard error, as FreeBSD's prints when it is not on a terminal (name, size, rate
 * and time, from the virtual clock).
 */
import { AF_INET, O_CREAT, O_TRUNC, O_WRONLY, SOCK_STREAM, S_IFDIR, S_IFMT, type Program, type Sys } from '../../kernel/abi.js';
import { strerror } from '../../kernel/errno.js';
import { parseArgs } from '../fileutils/getopt.js';
import { errnoOf, errorText, printErr, readAll } from '../lib.js';
import { REASONS, headEnd, localName, parseResponseHead, parseUrl, request, text, type HttpUrl } from './http.js';
import { resolveHost } from './inet.js';

const USAGE = 'fetch [-qv] [-o file] [-T seconds] URL ...';

/** A failure to report as `fetch: subject: message`. */
class Failure {
  constructor(
    readonly subject: string,
    readonly message: string,
  ) {}
}

export const fetch: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'fetch', argv, 'o:qT:v', USAGE);
  if (opts === undefined) return 1;
  if (opts.operands.length === 0) {
    await printErr(sys, `usage: ${USAGE}\n`);
    return 1;
  }
  const t = opts.value('T');
  if (t !== undefined && !/^\d+$/.test(t)) {
    await printErr(sys, `fetch: invalid timeout (${t})\n`);
    return 1;
  }
  const timeout = t === undefined ? 0 : Number(t) * 1000;
  let status = 0;
  for (const url of opts.operands) {
    const result = await fetchOne(sys, url, opts.value('o'), timeout, opts.has('q'));
    if (result instanceof Failure) {
      await printErr(sys, `fetch: ${result.subject}: ${result.message}\n`);
      status = 1;
    }
  }
  return status;
};

async function fetchOne(sys: Sys, url: string, output: string | undefined, timeout: number, quiet: boolean): Promise<void | Failure> {
  const parsed = parseUrl(url);
  if (typeof parsed === 'string') return new Failure(url, parsed);
  const address = resolveHost(parsed.host);
  if (address === undefined) return new Failure(url, 'No address record');
  const start = await sys.time();
  const reply = await exchange(sys, parsed, address, timeout);
  if (typeof reply === 'string') return new Failure(url, reply);
  const end = headEnd(reply);
  const head = end === undefined ? undefined : parseResponseHead(text(reply.subarray(0, end.head)));
  if (end === undefined || head === undefined) return new Failure(url, 'Invalid server response');
  if (head.status !== 200) return new Failure(url, REASONS[head.status] ?? (head.reason || 'Unknown HTTP error'));
  let body = reply.subarray(end.body);
  const length = head.headers.get('content-length');
  const size = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
  if (size !== undefined && body.length > size) body = body.subarray(0, size);
  const path = await target(sys, output, parsed.path);
  const written = await save(sys, path, body);
  if (written !== undefined) return new Failure(path, written);
  if (size !== undefined && body.length < size) return new Failure(path, `appears to be truncated: ${body.length}/${size} bytes`);
  if (!quiet && path !== '-') await printErr(sys, statLine(path, body.length, (await sys.time()) - start));
}

/** Connects, sends the request, reads the whole reply (HTTP/1.0: to the end of the stream); a string is the error. */
async function exchange(sys: Sys, url: HttpUrl, address: string, timeout: number): Promise<Uint8Array | string> {
  let fd: number | undefined;
  try {
    fd = await sys.socket(AF_INET, SOCK_STREAM);
    if (timeout > 0) {
      await sys.setsockopt(fd, 'SO_SNDTIMEO', timeout);
      await sys.setsockopt(fd, 'SO_RCVTIMEO', timeout);
    }
    await sys.connect(fd, { address, port: url.port });
    await sys.send(fd, request(url));
    const all = await readAll(sys, fd);
    return all;
  } catch (err) {
    const code = errnoOf(err);
    if (code === undefined) throw err;
    // A timeout (SO_SNDTIMEO, SO_RCVTIMEO) ends the call with EAGAIN; libfetch says it timed out.
    return code === 'EAGAIN' ? strerror('ETIMEDOUT') : errorText(err);
  } finally {
    if (fd !== undefined) await sys.close(fd);
  }
}

/** The file the document goes to: -o's file, a file in -o's directory, `-`, or the URL's name here. */
async function target(sys: Sys, output: string | undefined, urlPath: string): Promise<string> {
  if (output === undefined) return localName(urlPath);
  if (output === '-') return output;
  try {
    if (((await sys.stat(output)).mode & S_IFMT) === S_IFDIR) return `${output.replace(/\/+$/, '')}/${localName(urlPath)}`;
  } catch (err) {
    if (errnoOf(err) === undefined) throw err; // not there yet: the file to create
  }
  return output;
}

/** Writes the document; returns the error text when it cannot. */
async function save(sys: Sys, path: string, body: Uint8Array): Promise<string | undefined> {
  if (path === '-') {
    await sys.write(1, body);
    return undefined;
  }
  try {
    const fd = await sys.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644);
    try {
      if (body.length > 0) await sys.write(fd, body);
    } finally {
      await sys.close(fd);
    }
    return undefined;
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    return errorText(err);
  }
}

/** fetch's stat_bytes: at most five digits, with a unit. */
function statBytes(n: number): string {
  const units = ' kMGTP';
  let u = 0;
  let value = n;
  while (value >= 100000 && u < units.length - 1) {
    value = Math.floor(value / 1024);
    u++;
  }
  return `${String(value).padStart(4)} ${units[u]}B`;
}

/** The line fetch prints when a document is done: name, size, rate, time taken. */
export function statLine(name: string, bytes: number, ticks: number): string {
  const seconds = Math.floor(ticks / 1000);
  const rate = ticks === 0 ? '   ?? Bps' : `${statBytes(Math.floor((bytes * 1000) / ticks)).slice(0, -1)}Bps`;
  const time = `${String(Math.floor(seconds / 60)).padStart(2, '0')}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${name.slice(0, 46).padEnd(46)}        ${statBytes(bytes)} ${rate} ${time}\n`;
}
