/**
 * Every limit the console's words state is the one the code enforces: a sign-in link's minutes,
 * a session's idle hours and age, a preview's lifetime, an announcement picture's types and size,
 * a scope's number of names. Each assertion computes the expected figure from the constant, so
 * changing a constant without the text (or writing a number into the text) fails here.
 */
import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_BYTES } from '../../../../src/domain/announcements/announcements.ts';
import { MAX_SCOPE_PARTS } from '../../../../src/domain/register/scope.ts';
import { DRAFT_TTL_MS } from '../../../../src/features/console/actions/disclosures.ts';
import { IMAGE_ACCEPT, IMAGE_TYPES, limitParams } from '../../../../src/features/console/limits.ts';
import { LINK_TTL_MS } from '../../../../src/features/console/links.ts';
import { refusalPage } from '../../../../src/features/console/pages/refusal.ts';
import { refusalText } from '../../../../src/features/console/pages/scopes.ts';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../../../../src/features/console/sessions.ts';
import { createTranslator } from '../../../../src/i18n/i18n.ts';

const i18n = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' });
const zh = i18n.bind('zh-CN');
const en = i18n.bind('en');
const minutes = LINK_TTL_MS / 60_000;
const refusal = (key: string, params?: Record<string, unknown>, t = zh, locale: 'zh-CN' | 'en' = 'zh-CN') =>
  refusalPage({ t, locale, prefix: '/console', path: '/console' }, key, params).replace(/<[^>]+>/g, ' ');

describe('limits in the console text', () => {
  it('a sign-in link lasts what LINK_TTL_MS says, on the refusal page and in the steps', () => {
    const page = refusal('webconsole.link.expired', { linkMinutes: minutes });
    expect(page).toContain(`该登录链接已过期（有效期${minutes}分钟）`);
    expect(page).toContain(`在${minutes}分钟内用浏览器打开该链接`);
    expect(zh('webconsole.demo.link', { url: 'u', ...limitParams(zh) })).toBe(`网页管理后台（演示，${minutes}分钟内有效）：u`);
    expect(refusal('webconsole.link.expired', undefined, en, 'en')).toContain(`valid for ${minutes} minutes`);
  });

  it('a session ends after the idle time and the age sessions.ts enforces', () => {
    const page = refusal('webconsole.errors.session_ended');
    expect(page).toContain(`超过${SESSION_IDLE_MS / 3_600_000}小时未使用或登录已满${SESSION_MAX_MS / 86_400_000}天`);
    expect(page).not.toContain('{{');
  });

  it('a preview is kept for DRAFT_TTL_MS, in the plural English needs', () => {
    const hours = DRAFT_TTL_MS / 3_600_000;
    expect(refusal('webconsole.disclosures.draft_gone', { count: hours })).toContain(`超过${hours}小时`);
    expect(en('webconsole.disclosures.draft_gone', { count: 1 })).toContain('older than 1 hour)');
    expect(en('webconsole.disclosures.draft_gone', { count: 2 })).toContain('older than 2 hours)');
  });

  it('the picture field names the types the form takes and the size the domain allows', () => {
    const mb = MAX_IMAGE_BYTES / 1024 / 1024;
    expect(zh('webconsole.announcements.f_image', limitParams(zh))).toBe(`配图（可选，JPG、PNG、WebP格式，不超过${mb}MB）`);
    expect(Object.keys(IMAGE_TYPES)).toContain('image/webp');
    expect(IMAGE_ACCEPT.split(',')).toEqual(Object.keys(IMAGE_TYPES));
    for (const name of Object.values(IMAGE_TYPES)) expect(refusal('webconsole.errors.bad_image_type')).toContain(name);
    expect(en('webconsole.announcements.f_image', limitParams(en))).toBe(`Picture (optional, JPG, PNG, WebP, at most ${mb} MB)`);
  });

  it('a scope holds at most MAX_SCOPE_PARTS names', () => {
    expect(refusalText(zh, { key: 'scope.err_too_many' })).toBe(`一次最多可选${MAX_SCOPE_PARTS}个楼栋或小组；面向全社区请填写“全体”。`);
  });
});
