/**
 * Shows the login QR code in the terminal. Uses the `qrcode` package (installed with wechaty's
 * puppets) when it is there; otherwise the logged URL is all there is, which a browser opens.
 */
import { createRequire } from 'node:module';

interface QrLib {
  toString(text: string, opts: { type: 'terminal'; small?: boolean }): Promise<string>;
}

/** Writes the QR code to stderr (the console chat uses stdout). Never throws. */
export async function showQrCode(qrcode: string, url: string, out: NodeJS.WritableStream = process.stderr): Promise<void> {
  let lib: QrLib | undefined;
  try {
    lib = createRequire(import.meta.url)('qrcode') as QrLib;
  } catch {
    lib = undefined;
  }
  try {
    if (lib) out.write(`${await lib.toString(qrcode, { type: 'terminal', small: true })}\n`);
  } catch {
    // Printing is a convenience; the URL below always works.
  }
  out.write(`WeChat login QR code: ${url}\n`);
}
