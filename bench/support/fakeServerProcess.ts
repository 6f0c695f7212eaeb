/**
 * Runs the fake Bot API in its own process for the broadcast benchmark, so that the server's
 * clock — which decides what counts as a limit violation — does not stall whenever the bot's
 * event loop does (as it would in one process, bunching arrivals up). Talks over the IPC channel.
 */
import { startFakeBotApi } from '../../tests/support/fakeBotApi.ts';

const timeScale = Number(process.env.FAKE_TIME_SCALE ?? 1);
const fake = await startFakeBotApi({ enforceLimits: true, limits: { timeScale } });
process.send!({ type: 'ready', apiRoot: fake.apiRoot, token: fake.token });
process.on('message', (msg: { type: string }) => {
  if (msg.type === 'stats') {
    const perChat: Record<string, number> = {};
    for (const m of fake.sent) if (m.kind === 'send') perChat[String(m.chatId)] = (perChat[String(m.chatId)] ?? 0) + 1;
    process.send!({ type: 'stats', violations: fake.violations.map((v) => v.rule), perChat, refused: fake.calls.filter((c) => c.errorCode === 429).length });
  } else if (msg.type === 'close') {
    void fake.close().then(() => process.exit(0));
  }
});
