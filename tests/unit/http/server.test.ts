/**
 * The HTTP server as a seam: it listens only when something registered routes, on the
 * configured address; each registration is a scope of its own (the webhook's strict parser
 * does not leak into the console's routes); errors never reach the client; it starts once.
 */
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.ts';
import { createHttpServer, type HttpServer } from '../../../src/http/server.ts';
import { webhookRoutes } from '../../../src/http/webhook.ts';
import { createLogger } from '../../../src/log.ts';
import type { AdapterWebhook } from '../../../src/platform/adapter.ts';
import { openRaw, postBytes, rawRequest } from './rawHttp.ts';

const log = createLogger('silent');

/** A port nobody listens on (taken and released). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

/** A webhook hook that records what it is handed. */
function recordingHook(path = '/hook'): AdapterWebhook & { got: unknown[] } {
  const got: unknown[] = [];
  return { path, secretHeader: 'x-secret', secret: 's3cret', got, handle: async (body) => (got.push(body), 'handled') };
}

describe('the HTTP server', () => {
  const servers: HttpServer[] = [];
  const make = (port = 0) => {
    const s = createHttpServer({ host: '127.0.0.1', port, log });
    servers.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  it('does not listen when nothing registered routes (a bot on long polling opens no port)', async () => {
    const port = await freePort();
    const server = make(port);
    expect(server.hasRoutes).toBe(false);
    expect(await server.start()).toBeUndefined();
    const refused = await openRaw(port).then(
      (c) => (c.socket.destroy(), false),
      () => true,
    );
    expect(refused).toBe(true);
  });

  it('listens on the configured address; HOST defaults to loopback', async () => {
    const server = make();
    server.register(webhookRoutes(recordingHook()));
    const address = await server.start();
    expect(address).toMatchObject({ address: '127.0.0.1', port: expect.any(Number) });
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(() => loadConfig({ HOST: '' })).toThrow(ConfigError);
    expect(() => loadConfig({ HOST: '' })).toThrow(/HOST/);
  });

  it('gives each registration its own scope: the console’s JSON routes beside the webhook', async () => {
    const server = make();
    const hook = recordingHook('/tg/hook');
    server.register(webhookRoutes(hook));
    // What the web console will do: mount its own routes on the same server.
    server.register((app) => {
      app.get('/console/health', async () => ({ ok: true }));
      app.post('/console/echo', async (request) => ({ echo: request.body }));
    });
    const { port } = (await server.start())!;
    const health = await rawRequest(port, Buffer.from('GET /console/health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'));
    expect([health.status, JSON.parse(health.body)]).toEqual([200, { ok: true }]);
    // The console's own parser takes what the webhook's would refuse (no secret, an array).
    const echo = await rawRequest(port, postBytes('/console/echo', '[1,2]'));
    expect([echo.status, JSON.parse(echo.body)]).toEqual([200, { echo: [1, 2] }]);
    expect((await rawRequest(port, postBytes('/tg/hook', '[1,2]', { 'x-secret': 's3cret' }))).status).toBe(400);
    expect((await rawRequest(port, postBytes('/tg/hook', '{"update_id":1}', { 'x-secret': 's3cret' }))).status).toBe(200);
    expect(hook.got).toEqual([{ update_id: 1 }]);
  });

  it('answers 500 without the error’s message when a handler throws, and keeps serving', async () => {
    const server = make();
    server.register((app) => {
      app.get('/boom', async () => {
        throw new Error('database password is hunter2');
      });
      app.get('/fine', async () => ({ ok: true }));
    });
    const { port } = (await server.start())!;
    const boom = await rawRequest(port, Buffer.from('GET /boom HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'));
    expect(boom.status).toBe(500);
    expect(boom.raw).not.toContain('hunter2');
    expect((await rawRequest(port, Buffer.from('GET /fine HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'))).status).toBe(200);
  });

  it('answers 500 when the adapter fails to handle an update, and keeps serving', async () => {
    const server = make();
    let fail = true;
    server.register(
      webhookRoutes({
        path: '/hook',
        secretHeader: 'x-secret',
        secret: 's3cret',
        handle: async () => {
          if (fail) throw new Error('disk full at /var/lib/linli');
          return 'handled';
        },
      }),
    );
    const { port } = (await server.start())!;
    const res = await rawRequest(port, postBytes('/hook', '{"update_id":1}', { 'x-secret': 's3cret' }));
    expect(res.status).toBe(500);
    expect(res.raw).not.toContain('disk full');
    fail = false;
    expect((await rawRequest(port, postBytes('/hook', '{"update_id":2}', { 'x-secret': 's3cret' }))).status).toBe(200);
  });

  it('cuts off slow clients, not slow handling: an update that takes long to handle still gets its answer', async () => {
    const server = createHttpServer({ host: '127.0.0.1', port: 0, log, limits: { headersTimeoutMs: 200, requestTimeoutMs: 400 } });
    servers.push(server);
    server.register(
      webhookRoutes({
        path: '/hook',
        secretHeader: 'x-secret',
        secret: 's3cret',
        // Longer than both timeouts: the request arrived in time, handling it is ours to take.
        handle: () => new Promise((r) => setTimeout(() => r('handled'), 1200)),
      }),
    );
    const { port } = (await server.start())!;
    expect((await rawRequest(port, postBytes('/hook', '{"update_id":1}', { 'x-secret': 's3cret' }))).status).toBe(200);
  });

  it('starts once, and takes routes only before it starts', async () => {
    const server = make();
    server.register(webhookRoutes(recordingHook()));
    await server.start();
    await expect(server.start()).rejects.toThrow(/started already/);
    expect(() => server.register(() => undefined)).toThrow(/before the HTTP server starts/);
  });

  it('closes when it never started', async () => {
    await expect(make().close()).resolves.toBeUndefined();
  });
});
