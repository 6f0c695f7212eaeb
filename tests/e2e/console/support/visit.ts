/**
 * Requests to the console without a browser (Fastify's inject on the very server the browser
 * tests use): sign in from a link as the sign-in page's form does, then GET pages and POST forms
 * with the session cookie, the way a browser would send them.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** The form fields of a page's first form whose action ends with `action`. */
export function formFields(body: string, action: string): Record<string, string> {
  const forms = [...body.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)];
  const form = forms.find((f) => f[1].endsWith(action));
  if (!form) throw new Error(`no form ${action} in the page`);
  const fields: Record<string, string> = {};
  for (const m of form[2].matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[m[1]] = m[2].replace(/&amp;/g, '&');
  return fields;
}

/** The cookies a response sets, as `name=value` pairs. */
export function setCookies(res: LightMyRequestResponse): Record<string, { value: string; raw: string }> {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return Object.fromEntries(list.map((c) => [c.split('=')[0], { value: c.split(';')[0].split('=').slice(1).join('='), raw: c }]));
}

/** Plain text of a page (tags removed), for assertions on what a person reads. */
export function textOf(body: string): string {
  return body.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

/** A signed-in (or not yet) visitor. */
export class Visitor {
  cookie = '';

  constructor(
    readonly app: FastifyInstance,
    readonly remoteAddress = '127.0.0.1',
  ) {}

  private keep(res: LightMyRequestResponse): LightMyRequestResponse {
    const jar = Object.fromEntries(this.cookie.split('; ').filter(Boolean).map((c) => [c.split('=')[0], c]));
    for (const [name, { value, raw }] of Object.entries(setCookies(res))) {
      if (/Max-Age=0/.test(raw)) delete jar[name];
      else jar[name] = `${name}=${value}`;
    }
    this.cookie = Object.values(jar).join('; ');
    return res;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, remoteAddress: this.remoteAddress, headers: { cookie: this.cookie, ...headers } }));
  }

  async post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        remoteAddress: this.remoteAddress,
        headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: new URLSearchParams(fields).toString(),
      }),
    );
  }

  async postRaw(url: string, payload: string | Buffer, contentType: string): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'POST', url, remoteAddress: this.remoteAddress, headers: { cookie: this.cookie, 'content-type': contentType }, payload }));
  }

  /** Opens a sign-in link and presses the button; returns the POST's response. */
  async signIn(link: string): Promise<LightMyRequestResponse> {
    const path = new URL(link).pathname;
    const page = await this.get(path);
    if (page.statusCode !== 200) return page;
    return this.post('/console/signin', formFields(page.body, '/signin'));
  }
}

/** A multipart body with fields and one file, as a browser sends a form with a file input. */
export function multipart(fields: Record<string, string>, file: { field: string; name: string; type: string; data: Buffer }): { body: Buffer; contentType: string } {
  const boundary = `----linli${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
