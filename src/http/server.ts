/**
 * Linli's one HTTP server (Fastify): what platforms push to us — the Telegram webhook — and,
 * later, the web console. Each part adds its routes with `register` before `start`; the server
 * listens (on HOST:PORT) only when something registered routes, so a bot on long polling opens
 * no port at all.
 *
 * It faces the internet, so it holds its own against hostile clients: bodies over the limit
 * are refused with 413 (by Content-Length before reading, or as soon as the bytes pass it), a
 * client that sends its headers or its request too slowly is cut off, every path nobody
 * registered answers 404, and no error message or stack trace is ever sent back.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger, FastifyError, FastifyInstance } from 'fastify';
import type { Logger } from '../log.ts';

/** What a client may cost the server. */
export interface HttpLimits {
  /** Largest request body in bytes; larger → 413. Telegram updates are a few kB. */
  bodyBytes: number;
  /** Time a client has to send its request headers (against slow-loris clients). */
  headersTimeoutMs: number;
  /** Time a client has to send its whole request, body included. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
}

/** The limits in production. */
export const HTTP_LIMITS: HttpLimits = { bodyBytes: 1024 * 1024, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 };

/** Adds routes to the server, in a scope of their own (their hooks and parsers stay theirs). */
export type HttpRoutes = (app: FastifyInstance) => void | Promise<void>;

/** Settings of the server. */
export interface HttpServerOptions {
  /** Listen address (HOST): loopback by default; a container sets 0.0.0.0. */
  host: string;
  /** Listen port (PORT); 0 picks a free one (tests). */
  port: number;
  log: Logger;
  /** Tighter limits (tests); the rest stay as in production. */
  limits?: Partial<HttpLimits>;
}

/** The server: register routes, then start. */
export interface HttpServer {
  /** Adds routes; only before `start`. The web console mounts its routes here too. */
  register(routes: HttpRoutes): void;
  /** True when some routes were registered (and `start` will listen). */
  readonly hasRoutes: boolean;
  /** Listens when routes were registered; resolves with the bound address (undefined when not listening). */
  start(): Promise<AddressInfo | undefined>;
  /** Stops listening; requests in flight finish first. Safe to call when not started. */
  close(): Promise<void>;
}

/** Creates the server; nothing listens until `start`. */
export function createHttpServer(opts: HttpServerOptions): HttpServer {
  const limits = { ...HTTP_LIMITS, ...opts.limits };
  const routes: HttpRoutes[] = [];
  let app: FastifyInstance | undefined;
  let starting: Promise<AddressInfo | undefined> | undefined;

  const listen = async (): Promise<AddressInfo | undefined> => {
    if (!routes.length) return undefined;
    // Loaded on first use: the CLI builds the app without ever serving HTTP.
    const { fastify, LogController } = await import('fastify');
    const loggerInstance: FastifyBaseLogger = opts.log;
    const server = fastify({
      loggerInstance,
      // One log line per webhook delivery would drown the bot's own logs.
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: limits.bodyBytes,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      http: {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        // Node checks the two timeouts above on this interval (30 s by default).
        connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
      },
      return503OnClosing: true,
    });
    server.setErrorHandler((err: FastifyError, request, reply) => {
      const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
      if (status >= 500) opts.log.error({ err, method: request.method, path: request.routeOptions.url }, 'http request failed');
      else opts.log.debug({ code: err.code, status }, 'http request refused');
      // The status says enough; an error's message could name internals.
      void reply.code(status).send({ error: status });
    });
    server.setNotFoundHandler((_request, reply) => void reply.code(404).send({ error: 404 }));
    for (const r of routes) void server.register(async (scope) => r(scope));
    await server.listen({ host: opts.host, port: opts.port });
    app = server;
    const address = server.server.address() as AddressInfo;
    opts.log.info({ host: address.address, port: address.port }, 'http server listening');
    return address;
  };

  return {
    register(r) {
      if (starting) throw new Error('routes must be registered before the HTTP server starts');
      routes.push(r);
    },
    get hasRoutes() {
      return routes.length > 0;
    },
    start() {
      if (starting) return Promise.reject(new Error('the HTTP server was started already'));
      starting = listen();
      return starting;
    },
    async close() {
      await starting?.catch(() => undefined);
      await app?.close();
      app = undefined;
    },
  };
}
