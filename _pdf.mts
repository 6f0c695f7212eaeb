import { writeFileSync } from 'node:fs';
import { createTranslator } from './src/i18n/i18n.ts';
import { renderSlipsPdf } from './src/features/register/slipsPdf.ts';
import { telegramSlipLink } from './src/features/register/payload.ts';
const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });
const units = ['3栋-2单元-501','3栋-2单元-502','3栋-2单元-601','阳光花园12栋-2单元-1203','3栋-2单元-701','3栋-2单元-702','3栋-2单元-801'];
for (const [loc, bot] of [['zh-CN','linli_test_bot'],['en',''],['zh-CN','']] as const) {
  const t0 = performance.now();
  const pdf = await renderSlipsPdf({ t: i18n.bind(loc), community: '巴登社区', scope: '3栋', slips: units.map((u,i)=>({unit:u, code: `K7MX-Q3P${i+2}`})), expiresAt: new Date('2027-06-01T00:00:00Z'), linkFor: (c) => bot ? telegramSlipLink(bot, c) : undefined });
  console.log(loc, bot, pdf.length, performance.now()-t0);
  writeFileSync(`/tmp/regprobe/slips-${loc}-${bot||'wx'}.pdf`, pdf);
}
