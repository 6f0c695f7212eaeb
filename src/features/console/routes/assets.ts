/**
 * The console's only assets, served from this process so the console works offline and behind
 * any firewall: one stylesheet, and the CJK font the charts already use, for machines without a
 * Chinese system font (browsers fetch it only when they need it).
 */
import { createReadStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chartFontFiles } from '../../../charts/barChart.ts';
import type { RouteKit } from '../web/plugin.ts';

const STYLESHEET = fileURLToPath(new URL('../assets/console.css', import.meta.url));

export function registerAssets(scope: FastifyInstance, _kit: RouteKit): void {
  // Read at registration, so a change shows on restart and requests never touch the disk.
  const css = readFileSync(STYLESHEET, 'utf8');
  scope.get('/assets/console.css', async (_req, reply) => reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(css));
  scope.get('/assets/font-:weight.otf', async (req, reply) => {
    const { weight } = req.params as { weight: string };
    const [regular, bold] = chartFontFiles();
    const file = weight === 'regular' ? regular : weight === 'bold' ? bold : null;
    if (!file) return reply.callNotFound();
    return reply.header('cache-control', 'public, max-age=604800, immutable').type('font/otf').send(createReadStream(file));
  });
}
