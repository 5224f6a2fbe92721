/**
 * httpd: a tiny iterative HTTP/1.0 server, `httpd [-p port] [-d docroot] [-n count]` (port 80,
 * docroot /var/www, no limit). It takes one connection at a time, reads the request head,
 * serves the file the GET (or HEAD) names under the docroot (`..` cannot climb out of it; a
 * directory serves its index.html), and closes. 200 with Content-Length; 400 for a malformed
 * request, 403 for a file it may not read, 404 for none, 501 for another method. One line per
 * request goes to standard output, after the common log format with the virtual clock's tick
 * for the time: `192.0.2.11 - - [1234] "GET /index.html HTTP/1.0" 200 13`. -n: exit after
 * answering that many requests (for scripts). A client that sends no request head within 10
 * virtual seconds is dropped unanswered and unlogged. Port 80 needs net_privaddr.
 */
import { AF_INET, INADDR_ANY, O_RDONLY, SOCK_STREAM, S_IFDIR, S_IFMT, type Program, type Sys } from '../../kernel/abi.js';
import { parseArgs } from '../fileutils/getopt.js';
import { errnoOf, errorText, print, printErr, readAll } from '../lib.js';
import { contentType, errorBody, headEnd, parseRequestLine, resolveTarget, response, text } from './http.js';
import { parsePort } from './inet.js';

const USAGE = 'httpd [-p port] [-d docroot] [-n count]';
/** The longest request head read before answering 400. */
const MAX_HEAD = 8192;
/** Ticks a client has to send its request head. */
const READ_TIMEOUT = 10_000;

export const httpd: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'httpd', argv, 'd:n:p:', USAGE);
  if (opts === undefined) return 1;
  const port = parsePort(opts.value('p') ?? '80');
  const countText = opts.value('n');
  if (opts.operands.length > 0 || port === undefined || (countText !== undefined && !/^\d+$/.test(countText))) {
    await printErr(sys, `usage: ${USAGE}\n`);
    return 1;
  }
  const docroot = opts.value('d') ?? '/var/www';
  const count = countText === undefined ? Infinity : Number(countText);
  let fd: number;
  try {
    fd = await sys.socket(AF_INET, SOCK_STREAM);
    await sys.setsockopt(fd, 'SO_REUSEADDR', 1);
    await sys.bind(fd, { address: INADDR_ANY, port });
    await sys.listen(fd, 128);
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    await printErr(sys, `httpd: bind: ${errorText(err)}\n`);
    return 1;
  }
  for (let served = 0; served < count; ) {
    const { fd: conn, peer } = await sys.accept(fd);
    const client = 'address' in peer ? peer.address : '-';
    try {
      const logged = await serve(sys, conn, docroot);
      if (logged !== undefined) {
        await print(sys, `${client} - - [${await sys.time()}] ${logged}\n`);
        served++;
      }
    } finally {
      await sys.close(conn);
    }
  }
  await sys.close(fd);
  return 0;
};

/** Answers one connection; returns the rest of its log line, or undefined when it sent nothing to answer. */
async function serve(sys: Sys, conn: number, docroot: string): Promise<string | undefined> {
  await sys.setsockopt(conn, 'SO_RCVTIMEO', READ_TIMEOUT);
  const head = await readHead(sys, conn);
  if (head === undefined) return undefined;
  const requestLine = head?.split(/\r?\n/)[0] ?? '';
  const req = head === null ? undefined : parseRequestLine(requestLine);
  let status: number;
  let type = 'text/plain';
  let body: Uint8Array;
  if (req === undefined) {
    status = 400;
    body = errorBody(status);
  } else if (req.method !== 'GET' && req.method !== 'HEAD') {
    status = 501;
    body = errorBody(status);
  } else {
    const path = resolveTarget(docroot, req.target);
    const file = path === undefined ? 400 : await readDocument(sys, path);
    if (typeof file === 'number') {
      status = file;
      body = errorBody(status);
    } else {
      status = 200;
      type = contentType(file.path);
      body = file.data;
    }
  }
  const withBody = req?.method !== 'HEAD';
  try {
    await sys.send(conn, response(status, type, body, withBody));
  } catch (err) {
    if (errnoOf(err) === undefined) throw err; // the client went away: still logged, as servers log it
  }
  const sent = withBody ? body.length : 0;
  return `"${req === undefined ? requestLine.slice(0, 200) || '-' : requestLine}" ${status} ${sent === 0 ? '-' : sent}`;
}

/** The request head (up to the blank line), null when it is too long, undefined when the client sent nothing in time. */
async function readHead(sys: Sys, conn: number): Promise<string | null | undefined> {
  let got = new Uint8Array(0);
  for (;;) {
    const end = headEnd(got);
    if (end !== undefined) return text(got.subarray(0, end.head));
    if (got.length > MAX_HEAD) return null;
    let chunk: Uint8Array;
    try {
      chunk = await sys.recv(conn, 4096);
    } catch (err) {
      if (errnoOf(err) === undefined) throw err;
      return undefined; // timed out (EAGAIN) or reset
    }
    // At end of stream, a head without its blank line is answered as it stands (HTTP/0.9 style clients).
    if (chunk.length === 0) return got.length === 0 ? undefined : text(got);
    const next = new Uint8Array(got.length + chunk.length);
    next.set(got);
    next.set(chunk, got.length);
    got = next;
  }
}

/** The document at `path` (a directory's index.html), or the status to answer instead. */
async function readDocument(sys: Sys, path: string): Promise<{ path: string; data: Uint8Array } | number> {
  let file = path.endsWith('/') ? `${path}index.html` : path;
  try {
    if (((await sys.stat(file)).mode & S_IFMT) === S_IFDIR) file = `${file.replace(/\/+$/, '')}/index.html`;
    const fd = await sys.open(file, O_RDONLY);
    try {
      return { path: file, data: await readAll(sys, fd) };
    } finally {
      await sys.close(fd);
    }
  } catch (err) {
    const code = errnoOf(err);
    if (code === undefined) throw err;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return 404;
    if (code === 'EACCES' || code === 'EPERM') return 403;
    return 500;
  }
}
