/**
 * Child process of bench/export.ts: exports one poll to a file while sampling its own RSS, and
 * prints {ms, peakRssMb, baseRssMb, rows, bytes} as JSON. Run apart so the figure is the
 * export's alone; `baseRssMb` is the RSS once the database client is loaded and the poll read,
 * before the first ballot is, so the export's own growth can be told from the client's size.
 */
import { openDatabase } from '../../src/db/client.ts';
import { requirePoll } from '../../src/domain/polls/polls.ts';
import { writeTable } from '../../src/export/table.ts';
import { pollExportSheets } from '../../src/features/polls/export.ts';
import { createTranslator } from '../../src/i18n/i18n.ts';

const [file, pollId, out, format] = process.argv.slice(2);
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const db = await openDatabase(file);
const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });
const start = performance.now();
const poll = await requirePoll(db, pollId);
const base = process.memoryUsage().rss;
const sheets = await pollExportSheets(db, poll, i18n.bind('zh-CN'), new Date(), i18n.timeZone);
const written = await writeTable({ format: format as 'csv' | 'xlsx', out, sheets });
const ms = performance.now() - start;
peak = Math.max(peak, process.memoryUsage().rss);
clearInterval(sampler);
await db.$disconnect();
process.stdout.write(JSON.stringify({ ms, peakRssMb: peak / 1048576, baseRssMb: base / 1048576, rows: written.rows, bytes: written.bytes }));
