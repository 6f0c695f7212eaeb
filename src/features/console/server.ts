/**
 * A Fastify server that carries only the console: for tests, and for `npm start` until the
 * shared HTTP server (src/http/server.ts) mounts `registerConsole` beside the webhook. Request
 * logging is off: a sign-in URL carries its token, and logs are read by more people than the
 * console is.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Services } from '../../core/services.ts';
import { registerConsole, type ConsoleOptions } from './web/plugin.ts';
import { CONSOLE_PREFIX } from './web/paths.ts';

/** A running console server. */
export interface ConsoleServer {
  app: FastifyInstance;
  /** http://host:port of the listening socket. */
  origin: string;
  close(): Promise<void>;
}

/** Starts a server with the console on it (port 0: any free port). */
export async function startConsoleServer(services: Services, opts: { host?: string; port?: number } & ConsoleOptions = {}): Promise<ConsoleServer> {
  const app = Fastify({ logger: false });
  await registerConsole(app, services, opts);
  app.get('/', async (_req, reply) => reply.redirect(CONSOLE_PREFIX, 302));
  await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? services.config.PORT });
  const address = app.server.address();
  const origin = typeof address === 'object' && address ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : '';
  return { app, origin, close: () => app.close() };
}
