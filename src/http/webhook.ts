/**
 * The route for a platform's webhook (Telegram's): POST on the adapter's path, nothing else.
 *
 * In order: the secret header is compared (constant time) before a byte of the body is read —
 * a wrong or missing secret gets 403 and the connection is closed; the body is read as bytes up
 * to the server's limit (413 beyond), decoded as UTF-8 once it is complete (a character split
 * across TCP packets arrives whole; invalid UTF-8 is refused), parsed as JSON without prototype
 * keys; anything but a JSON object gets 400. Then the adapter handles it: 200 when handled,
 * 400 when it is not an update, 503 while the adapter is not receiving (the platform retries).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AdapterWebhook, WebhookOutcome } from '../platform/adapter.ts';
import type { HttpRoutes } from './server.ts';

const STATUS: Record<WebhookOutcome, number> = { handled: 200, invalid: 400, unavailable: 503 };

/** True when the header carries exactly the secret (or no secret is configured). */
export function secretMatches(given: string | string[] | undefined, secret: string | undefined): boolean {
  if (secret === undefined) return true;
  if (typeof given !== 'string') return false;
  // Hashing first gives equal lengths, so the comparison takes the same time for any guess.
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(secret));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a complete body; null when the bytes are not UTF-8. */
function decode(bytes: Buffer): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Refuses a request (the error handler answers with the status alone). */
function refused(statusCode: number, code: string): Error {
  return Object.assign(new Error(code), { statusCode, code });
}

/** The routes of one adapter's webhook. */
export function webhookRoutes(hook: AdapterWebhook): HttpRoutes {
  return (app: FastifyInstance) => {
    // This scope reads JSON as bytes and nothing else (others answer 415).
    app.removeAllContentTypeParsers();
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      const text = decode(body as Buffer);
      if (text === null) return done(refused(400, 'LINLI_BODY_NOT_UTF8'), undefined);
      parseJson(request, text, done);
    });

    const checkSecret = async (request: FastifyRequest, reply: FastifyReply) => {
      if (secretMatches(request.headers[hook.secretHeader.toLowerCase()], hook.secret)) return;
      // Closing the connection: the unread body is not ours to drain.
      await reply.code(403).header('connection', 'close').send({ error: 403 });
    };

    app.post(hook.path, { onRequest: checkSecret }, async (request, reply) => {
      const body: unknown = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return reply.code(400).send({ error: 400 });
      const outcome = await hook.handle(body as Record<string, unknown>);
      return reply.code(STATUS[outcome]).send(outcome === 'handled' ? { ok: true } : { error: STATUS[outcome] });
    });
  };
}
