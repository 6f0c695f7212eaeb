/**
 * A real headless Chromium for the console's end-to-end tests, driven over the DevTools
 * protocol on a pipe (`--remote-debugging-pipe`: commands on fd 3, answers on fd 4, each a JSON
 * message ended by a NUL byte). playwright-core is not installed here, and the protocol needs
 * nothing else: the browser is the Debian package `chromium` (CHROMIUM_PATH overrides).
 *
 * The page object offers what the tests need and no more: open a URL, click (and wait for the
 * page it leads to), fill a field, read text, set and read cookies, download a file, and take
 * a full-page screenshot at a laptop or a phone size.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** Where the browser is. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** True when the browser is installed (tests say so instead of failing obscurely). */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

type Message = { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { message: string }; sessionId?: string };

/** One DevTools connection over the pipe. */
class Connection {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void; method: string }>();
  private readonly listeners = new Set<(m: Message) => void>();
  private buffered = Buffer.alloc(0);

  constructor(
    private readonly out: Writable,
    input: Readable,
  ) {
    input.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      for (let end = this.buffered.indexOf(0); end >= 0; end = this.buffered.indexOf(0)) {
        const message = JSON.parse(this.buffered.subarray(0, end).toString('utf8')) as Message;
        this.buffered = this.buffered.subarray(end + 1);
        this.dispatch(message);
      }
    });
  }

  private dispatch(m: Message): void {
    if (m.id !== undefined) {
      const waiting = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error) waiting?.reject(new Error(`${waiting.method}: ${m.error.message}`));
      else waiting?.resolve(m.result ?? {});
      return;
    }
    for (const fn of [...this.listeners]) fn(m);
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const promise = new Promise<Record<string, unknown>>((resolve, reject) => this.pending.set(id, { resolve, reject, method }));
    this.out.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    return promise;
  }

  /** Resolves with the params of the next event that matches (started before the action that causes it). */
  waitFor(method: string, match: (params: Record<string, unknown>, m: Message) => boolean = () => true, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`timed out waiting for ${method}`));
      }, timeoutMs);
      const listener = (m: Message) => {
        if (m.method !== method || !match(m.params ?? {}, m)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(m.params ?? {});
      };
      this.listeners.add(listener);
    });
  }

  on(fn: (m: Message) => void): void {
    this.listeners.add(fn);
  }
}

/** A screen size to render at. */
export interface Viewport {
  width: number;
  height: number;
  mobile?: boolean;
  scale?: number;
}

export const LAPTOP: Viewport = { width: 1366, height: 860 };
export const PHONE: Viewport = { width: 390, height: 844, mobile: true, scale: 2 };

/** A browser tab. */
export class Page {
  /** HTTP status of the last page (document) the tab loaded. */
  status = 0;
  private readonly downloads: string;

  constructor(
    private readonly cdp: Connection,
    private readonly session: string,
    scratch: string,
    private readonly contextId?: string,
  ) {
    this.downloads = join(scratch, 'downloads', contextId ?? 'default');
    cdp.on((m) => {
      if (m.sessionId === session && m.method === 'Network.responseReceived' && (m.params as { type?: string }).type === 'Document') {
        this.status = ((m.params as { response: { status: number } }).response).status;
      }
    });
  }

  private send(method: string, params: Record<string, unknown> = {}) {
    return this.cdp.send(method, params, this.session);
  }

  private loaded(): Promise<unknown> {
    return this.cdp.waitFor('Page.loadEventFired', (_p, m) => m.sessionId === this.session);
  }

  async init(acceptLanguage: string): Promise<void> {
    await this.send('Page.enable');
    await this.send('Network.enable');
    await this.send('Runtime.enable');
    const version = await this.cdp.send('Browser.getVersion');
    await this.send('Network.setUserAgentOverride', { userAgent: String(version.userAgent).replace('HeadlessChrome', 'Chrome'), acceptLanguage });
    await this.viewport(LAPTOP);
    await this.cdp.send('Browser.setDownloadBehavior', { behavior: 'allowAndName', downloadPath: this.downloads, eventsEnabled: true, ...(this.contextId ? { browserContextId: this.contextId } : {}) });
  }

  /** Opens a URL and waits until it has loaded. */
  async goto(url: string): Promise<void> {
    const loaded = this.loaded();
    const r = await this.send('Page.navigate', { url });
    if (r.errorText) throw new Error(`navigation to ${url} failed: ${r.errorText}`);
    await loaded;
  }

  /** Evaluates an expression in the page and returns its value. */
  async evaluate<T = unknown>(expression: string): Promise<T> {
    const r = (await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as { result: { value: T }; exceptionDetails?: { text: string; exception?: { description?: string } } };
    if (r.exceptionDetails) throw new Error(`in page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value;
  }

  /** Clicks the element a CSS selector finds (as a person would, so forms validate) and waits for the next page. */
  async click(selector: string): Promise<void> {
    const loaded = this.loaded();
    await this.press(selector);
    await loaded;
  }

  /** Clicks without waiting for a page (a download, a checkbox). */
  async press(selector: string): Promise<void> {
    const box = await this.evaluate<{ x: number; y: number } | null>(`(() => {
      const el = document.querySelector(${JSON.stringify(selector)});
      if (!el) return null;
      el.scrollIntoView({ block: 'center', inline: 'center' });
      // The first line box: a link that wraps has a bounding box wider than any of its lines.
      const r = el.getClientRects()[0] ?? el.getBoundingClientRect();
      const x = r.left + Math.min(r.width / 2, 8), y = r.top + r.height / 2;
      // What a person would hit at that point must be the element (or inside it).
      const hit = document.elementFromPoint(x, y);
      if (!hit || !(el === hit || el.contains(hit) || (el.tagName === 'INPUT' && hit.tagName === 'LABEL' && hit.contains(el)))) throw new Error('covered by ' + (hit ? hit.outerHTML.slice(0, 80) : 'nothing'));
      return { x, y };
    })()`);
    if (!box) throw new Error(`no element ${selector} on ${await this.evaluate('location.href')}`);
    for (const type of ['mousePressed', 'mouseReleased']) await this.send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 1 });
  }

  /** Sets the value of a form field. */
  async fill(selector: string, value: string): Promise<void> {
    const ok = await this.evaluate<boolean>(`(() => { const el = document.querySelector(${JSON.stringify(selector)}); if (!el) return false; el.value = ${JSON.stringify(value)}; return true; })()`);
    if (!ok) throw new Error(`no field ${selector}`);
  }

  /** Puts a file into a file input, as choosing it in the dialog does. */
  async upload(selector: string, file: string): Promise<void> {
    const r = (await this.send('Runtime.evaluate', { expression: `document.querySelector(${JSON.stringify(selector)})` })) as { result: { objectId?: string } };
    if (!r.result.objectId) throw new Error(`no file input ${selector}`);
    await this.send('DOM.setFileInputFiles', { files: [file], objectId: r.result.objectId });
  }

  /** The visible text of the page. */
  text(): Promise<string> {
    return this.evaluate<string>('document.body.innerText');
  }

  url(): Promise<string> {
    return this.evaluate<string>('location.href');
  }

  /** The browser's cookies for a URL. */
  async cookies(url: string): Promise<{ name: string; value: string; httpOnly: boolean; sameSite?: string; secure: boolean; path: string }[]> {
    const r = (await this.send('Network.getCookies', { urls: [url] })) as { cookies: { name: string; value: string; httpOnly: boolean; sameSite?: string; secure: boolean; path: string }[] };
    return r.cookies;
  }

  async setCookie(url: string, name: string, value: string, path: string): Promise<void> {
    await this.send('Network.setCookie', { url, name, value, path, httpOnly: true, sameSite: 'Lax' });
  }

  async clearCookies(): Promise<void> {
    await this.send('Network.clearBrowserCookies');
  }

  /** Clicks a download link and returns the file's suggested name and bytes. */
  async download(selector: string): Promise<{ name: string; data: Buffer }> {
    const begin = this.cdp.waitFor('Browser.downloadWillBegin');
    // Listening before the click: a small file can complete in the same batch of events as it begins.
    const completed = this.cdp.waitFor('Browser.downloadProgress', (p) => p.state === 'completed');
    await this.press(selector);
    const { guid, suggestedFilename } = (await begin) as { guid: string; suggestedFilename: string };
    if ((await completed).guid !== guid) throw new Error('another download completed first');
    const file = join(this.downloads, guid);
    for (let i = 0; i < 50 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 20));
    return { name: suggestedFilename, data: readFileSync(file) };
  }

  /** Renders at a screen size from now on (a laptop by default). */
  async viewport(v: Viewport): Promise<void> {
    await this.send('Emulation.setDeviceMetricsOverride', { width: v.width, height: v.height, deviceScaleFactor: v.scale ?? 1, mobile: v.mobile ?? false });
  }

  /** A full-page PNG at a viewport, written to `file`; the tab goes back to the laptop size after. */
  async screenshot(file: string, viewport: Viewport = LAPTOP): Promise<void> {
    await this.viewport(viewport);
    // Let the layout settle at the new size (fonts, wrapping) before measuring the page.
    await this.evaluate('document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))');
    const height = await this.evaluate<number>('Math.ceil(document.documentElement.scrollHeight)');
    const shot = (await this.send('Page.captureScreenshot', {
      format: 'png',
      captureBeyondViewport: true,
      clip: { x: 0, y: 0, width: viewport.width, height: Math.max(height, viewport.height), scale: 1 },
    })) as { data: string };
    writeFileSync(file, Buffer.from(shot.data, 'base64'));
    await this.viewport(LAPTOP);
  }
}

/** A running browser with one tab. */
export interface Browser {
  page: Page;
  /** A fresh tab without the first one's cookies (another person, another machine). */
  newContext(): Promise<Page>;
  close(): Promise<void>;
}

/** Launches headless Chromium with a fresh profile. */
export async function launchBrowser(opts: { acceptLanguage?: string } = {}): Promise<Browser> {
  const scratch = mkdtempSync(join(tmpdir(), 'linli-chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    '--hide-scrollbars',
    '--font-render-hinting=none',
    `--lang=${(opts.acceptLanguage ?? 'zh-CN').split(',')[0]}`,
    `--user-data-dir=${join(scratch, 'profile')}`,
    '--remote-debugging-pipe',
    'about:blank',
  ];
  const child: ChildProcess = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cdp = new Connection(child.stdio[3] as Writable, child.stdio[4] as Readable);
  const language = opts.acceptLanguage ?? 'zh-CN,zh;q=0.9';

  const openTab = async (contextId?: string): Promise<Page> => {
    const { targetId } = (await cdp.send('Target.createTarget', { url: 'about:blank', ...(contextId ? { browserContextId: contextId } : {}) })) as { targetId: string };
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const page = new Page(cdp, sessionId, scratch, contextId);
    await page.init(language);
    return page;
  };
  let page: Page;
  try {
    page = await Promise.race([
      openTab(),
      exited.then(() => {
        throw new Error(`chromium exited: ${stderr}`);
      }),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    page,
    async newContext() {
      const { browserContextId } = (await cdp.send('Target.createBrowserContext')) as { browserContextId: string };
      return openTab(browserContextId);
    },
    async close() {
      await cdp.send('Browser.close').catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
