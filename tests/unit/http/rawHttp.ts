/**
 * HTTP by hand over node:net, for webhook tests that must control every byte and every pause:
 * bodies split inside a UTF-8 character, clients that trickle their headers, bodies larger than
 * any well-behaved client would send.
 */
import { connect, type Socket } from 'node:net';

/** What came back on a connection. */
export interface RawResponse {
  /** The status of the first response, or 0 when the server sent none. */
  status: number;
  /** Everything after the first response's headers (up to the close). */
  body: string;
  /** All bytes received, as latin1-safe text for assertions. */
  raw: string;
  /** True when the server ended the connection (rather than the test giving up). */
  closedByServer: boolean;
}

/** The bytes of a POST with a JSON body (or any bytes), closing the connection afterwards. */
export function postBytes(path: string, body: Buffer | string, headers: Record<string, string | undefined> = {}): Buffer {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const all: Record<string, string | undefined> = { host: 'bot.example.org', 'content-type': 'application/json', 'content-length': String(bytes.length), connection: 'close', ...headers };
  const head = [`POST ${path} HTTP/1.1`, ...Object.entries(all).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), bytes]);
}

/** A raw connection to the server. */
export interface RawConnection {
  socket: Socket;
  /** Writes bytes (waits for them to be flushed); false once the server closed the connection. */
  write(bytes: Buffer | string): Promise<boolean>;
  /** Resolves when the server closed the connection or `giveUpMs` passed. */
  response(giveUpMs?: number): Promise<RawResponse>;
  readonly closed: boolean;
  /** Resolves when the first bytes of a response arrived (or the connection closed). */
  firstBytes(): Promise<void>;
}

/** Opens a connection to 127.0.0.1:port. */
export async function openRaw(port: number): Promise<RawConnection> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const chunks: Buffer[] = [];
  let closed = false;
  let gaveUp = false;
  const onClose: (() => void)[] = [];
  const onData: (() => void)[] = [];
  socket.on('data', (c: Buffer) => {
    chunks.push(c);
    onData.splice(0).forEach((f) => f());
  });
  // Writes racing a server that already answered and closed may fail (EPIPE, ECONNRESET).
  socket.on('error', () => undefined);
  socket.on('close', () => {
    closed = true;
    onClose.splice(0).forEach((f) => f());
    onData.splice(0).forEach((f) => f());
  });
  const parse = (): RawResponse => {
    const raw = Buffer.concat(chunks).toString('utf8');
    const m = /^HTTP\/1\.1 (\d{3})/.exec(raw);
    const split = raw.indexOf('\r\n\r\n');
    return { status: m ? Number(m[1]) : 0, body: split >= 0 ? raw.slice(split + 4) : '', raw, closedByServer: closed && !gaveUp };
  };
  return {
    socket,
    get closed() {
      return closed;
    },
    write(bytes) {
      if (closed || socket.destroyed || !socket.writable) return Promise.resolve(false);
      return new Promise((resolve) => socket.write(bytes, (err) => resolve(!err)));
    },
    response(giveUpMs = 10_000) {
      if (closed) return Promise.resolve(parse());
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          gaveUp = true;
          socket.destroy();
        }, giveUpMs);
        onClose.push(() => {
          clearTimeout(timer);
          resolve(parse());
        });
      });
    },
    firstBytes() {
      if (chunks.length || closed) return Promise.resolve();
      return new Promise((resolve) => onData.push(resolve));
    },
  };
}

/** Sends a whole request at once and reads the answer. */
export async function rawRequest(port: number, bytes: Buffer): Promise<RawResponse> {
  const conn = await openRaw(port);
  await conn.write(bytes);
  return conn.response();
}

/** A pause between two writes, so they leave as separate TCP segments. */
export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
