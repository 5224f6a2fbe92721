/**
 * The little HTTP/1.0 that fetch and httpd speak: URLs, request lines, response heads, the
 * path a request names under a document root, reason phrases and content types. Pure
 * functions over strings and bytes, no state.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export interface HttpUrl {
  readonly host: string;
  readonly port: number;
  /** The path and query, "/" at least. */
  readonly path: string;
}

/** `http://host[:port][/path]`; a string is libfetch's complaint. */
export function parseUrl(url: string): HttpUrl | string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/:?#]*)(?::(\d*))?([^#]*)/.exec(url);
  if (m === null) return 'parse error';
  if (m[1]!.toLowerCase() !== 'http') return 'Invalid URL scheme';
  const port = m[3] === undefined || m[3] === '' ? 80 : Number(m[3]);
  if (m[2] === '' || port < 1 || port > 65535) return 'parse error';
  const rest = m[4]!;
  return { host: m[2]!, port, path: rest === '' ? '/' : rest.startsWith('/') ? rest : `/${rest}` };
}

/** The name fetch saves a URL's document under: the last part of its path, else fetch.out. */
export function localName(path: string): string {
  const plain = path.replace(/[?#].*$/, '');
  const name = plain.slice(plain.lastIndexOf('/') + 1);
  return name === '' ? 'fetch.out' : name;
}

export function request(url: HttpUrl): string {
  const host = url.port === 80 ? url.host : `${url.host}:${url.port}`;
  return `GET ${url.path} HTTP/1.0\r\nHost: ${host}\r\nUser-Agent: fetch libfetch/2.0\r\nConnection: close\r\n\r\n`;
}

/** Where the head of a message ends (the blank line), and where its body starts; undefined if not yet. */
export function headEnd(bytes: Uint8Array): { head: number; body: number } | undefined {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 10) continue;
    const head = i > 0 && bytes[i - 1] === 13 ? i - 1 : i;
    if (bytes[i + 1] === 10) return { head, body: i + 2 };
    if (bytes[i + 1] === 13 && bytes[i + 2] === 10) return { head, body: i + 3 };
  }
  return undefined;
}

export interface ResponseHead {
  readonly status: number;
  readonly reason: string;
  readonly headers: ReadonlyMap<string, string>;
}

/** A response's status line and headers (names lower-cased); undefined when it is not HTTP. */
export function parseResponseHead(text: string): ResponseHead | undefined {
  const [statusLine = '', ...lines] = text.split(/\r?\n/);
  const m = /^HTTP\/\d\.\d (\d{3})(?: (.*))?$/.exec(statusLine);
  if (m === null) return undefined;
  return { status: Number(m[1]), reason: m[2] ?? '', headers: headerMap(lines) };
}

function headerMap(lines: readonly string[]): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

export interface RequestLine {
  readonly method: string;
  readonly target: string;
  readonly version: string;
}

/** `GET /path HTTP/1.0`; undefined when malformed. */
export function parseRequestLine(line: string): RequestLine | undefined {
  const m = /^([A-Z]+) (\S+) (HTTP\/\d\.\d)$/.exec(line);
  return m === null ? undefined : { method: m[1]!, target: m[2]!, version: m[3]! };
}

/**
 * The file a request target names under `docroot`: query dropped, %XX decoded, `.` and `..`
 * resolved against the root so no path climbs out of it. undefined for a target that is not
 * a path (400). A trailing slash is kept, so a directory's index can be served.
 */
export function resolveTarget(docroot: string, target: string): string | undefined {
  let path = target;
  const absolute = /^http:\/\/[^/]*(\/.*)?$/i.exec(path);
  if (absolute !== null) path = absolute[1] ?? '/';
  if (!path.startsWith('/')) return undefined;
  path = path.replace(/[?#].*$/, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const parts: string[] = [];
  for (const part of decoded.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  const root = docroot.replace(/\/+$/, '');
  const trailing = decoded.endsWith('/') && parts.length > 0 ? '/' : '';
  return `${root}/${parts.join('/')}${trailing}`;
}

const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html',
  htm: 'text/html',
  txt: 'text/plain',
  css: 'text/css',
  js: 'application/javascript',
  json: 'application/json',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
};

export function contentType(path: string): string {
  const dot = path.lastIndexOf('.');
  return (dot >= 0 ? TYPES[path.slice(dot + 1).toLowerCase()] : undefined) ?? 'application/octet-stream';
}

/** A whole HTTP/1.0 response: status line, headers, and the body (left out for HEAD). */
export function response(status: number, type: string, body: Uint8Array, withBody = true): Uint8Array {
  const head = encoder.encode(
    `HTTP/1.0 ${status} ${REASONS[status] ?? 'Unknown'}\r\nServer: cellblock-httpd\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
  );
  const out = new Uint8Array(head.length + (withBody ? body.length : 0));
  out.set(head);
  if (withBody) out.set(body, head.length);
  return out;
}

/** The small page an error status sends. */
export function errorBody(status: number): Uint8Array {
  return encoder.encode(`${status} ${REASONS[status] ?? 'Unknown'}\n`);
}

export function text(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
