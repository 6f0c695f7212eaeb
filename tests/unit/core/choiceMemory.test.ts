// What a typed reply stands for on a numbered platform: a number or an option's label (#14 item 1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetChoices, recallChoice, rememberChoices } from '../../../src/core/choiceMemory.ts';
import type { Db } from '../../../src/db/client.ts';
import { freshDatabase } from '../../support/harness.ts';

let db: Db;
beforeAll(async () => {
  ({ db } = await freshDatabase());
});
afterAll(() => db.$disconnect());

describe('choice memory', () => {
  it('recalls an option by number and by its label in any case or width', async () => {
    await rememberChoices(db, 'wechat', 'room1', [
      { action: 'v:p:1', label: '赞成' },
      { action: 'v:p:2', label: '反对' },
      { action: 'v:p:3', label: '弃权' },
    ]);
    expect(await recallChoice(db, 'wechat', 'room1', '３')).toEqual({ action: 'v:p:3' });
    expect(await recallChoice(db, 'wechat', 'room1', ' 弃权 ')).toEqual({ action: 'v:p:3' });
    expect(await recallChoice(db, 'wechat', 'room1', '反对吧')).toBeNull();
    expect(await recallChoice(db, 'wechat', 'room1', '4')).toBeNull();
    expect(await recallChoice(db, 'wechat', 'room2', '弃权')).toBeNull();
  });

  it('calls a label shared by two options ambiguous, and one shown twice for the same action not', async () => {
    await rememberChoices(db, 'wechat', 'me', [
      { action: 'a', label: 'English' },
      { action: 'b', label: 'english' },
      { action: 'c', label: '中文' },
      { action: 'c', label: '中文' },
    ]);
    expect(await recallChoice(db, 'wechat', 'me', 'ENGLISH')).toEqual({ ambiguous: 'ENGLISH' });
    expect(await recallChoice(db, 'wechat', 'me', '中文')).toEqual({ action: 'c' });
  });

  it('reads rows stored before labels were kept (numbers only) and forgets on request', async () => {
    await db.choiceMemory.create({ data: { platform: 'console', chatId: 'old', actions: '["x","y"]' } });
    expect(await recallChoice(db, 'console', 'old', '2')).toEqual({ action: 'y' });
    expect(await recallChoice(db, 'console', 'old', 'y')).toBeNull();
    await forgetChoices(db, 'console', 'old');
    expect(await recallChoice(db, 'console', 'old', '1')).toBeNull();
  });
});
