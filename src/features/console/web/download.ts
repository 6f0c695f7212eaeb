/** Sends a spreadsheet (or a PDF of slips) as a download, with a file name every browser keeps (RFC 6266). */
import type { FastifyReply } from 'fastify';

const MIME = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

export function sendDownload(reply: FastifyReply, name: string, format: keyof typeof MIME, data: Buffer): FastifyReply {
  const ascii = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return reply
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`)
    .header('cache-control', 'private, no-store')
    .type(MIME[format])
    .send(data);
}
