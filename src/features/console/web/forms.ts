/**
 * Form bodies without a plugin: `application/x-www-form-urlencoded` for every ordinary form and
 * `multipart/form-data` for the one file a form may carry. Registered inside the console's
 * Fastify scope only, so the server's other routes (the Telegram webhook) keep their own parsers.
 * Size limits are Fastify's `bodyLimit`: an oversized body is refused before it is parsed.
 */
import type { FastifyInstance } from 'fastify';

/** An uploaded file. */
export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** A parsed form: the text fields (first value of each name) and any files. */
export interface FormBody {
  fields: Record<string, string>;
  files: UploadedFile[];
}

/** Largest ordinary form. */
export const FORM_LIMIT = 64 * 1024;

/** Registers both parsers on a scope; `uploadLimit` bounds multipart bodies. */
export function registerFormParsers(scope: FastifyInstance, uploadLimit: number): void {
  // Forms only: a JSON or text body is refused (415) rather than read as an empty form.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_req, body, done) => {
    const fields: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(body as string)) if (!(k in fields)) fields[k] = v;
    done(null, { fields, files: [] } satisfies FormBody);
  });
  scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: uploadLimit }, (req, body, done) => {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers['content-type'] ?? '');
    const parsed = boundary ? parseMultipart(body as Buffer, boundary[1] ?? boundary[2]) : null;
    if (!parsed) return done(Object.assign(new Error('malformed multipart body'), { statusCode: 400, code: 'LINLI_BAD_FORM' }), undefined);
    done(null, parsed);
  });
}

/** The form of a request, or an empty one (a POST without a body). */
export function formOf(body: unknown): FormBody {
  const b = body as FormBody | undefined;
  return b && typeof b === 'object' && 'fields' in b ? b : { fields: {}, files: [] };
}

/**
 * Splits a multipart body into fields and files (RFC 7578). Returns null for a body that does
 * not follow the format, rather than guessing.
 */
export function parseMultipart(body: Buffer, boundary: string): FormBody | null {
  const delimiter = Buffer.from(`--${boundary}`);
  const out: FormBody = { fields: {}, files: [] };
  let pos = body.indexOf(delimiter);
  if (pos < 0) return null;
  for (;;) {
    pos += delimiter.length;
    // "--" after a delimiter ends the body.
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return out;
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) return null;
    pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) return null;
    const headers = body.subarray(pos, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) return null;
    const data = body.subarray(headerEnd + 4, next);
    let name: string | null = null;
    let filename: string | null = null;
    let contentType = 'application/octet-stream';
    for (const line of headers) {
      const [key, ...rest] = line.split(':');
      const value = rest.join(':').trim();
      if (key.trim().toLowerCase() === 'content-disposition') {
        name = /\bname="([^"]*)"/i.exec(value)?.[1] ?? null;
        filename = /\bfilename="([^"]*)"/i.exec(value)?.[1] ?? null;
      } else if (key.trim().toLowerCase() === 'content-type') contentType = value.toLowerCase();
    }
    if (name === null) return null;
    if (filename !== null) {
      if (filename !== '' || data.length) out.files.push({ field: name, filename, contentType, data: Buffer.from(data) });
    } else if (!(name in out.fields)) out.fields[name] = data.toString('utf8');
    pos = next + 2;
  }
}
