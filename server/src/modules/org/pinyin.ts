// Names in 拼音 (pinyin), as Chinese users sort and search them: lists in pinyin order, and a search
// that finds 王晓燕 by "wangxiaoyan", "xiaoyan" or the initials "wxy". The spelling is computed here, in
// TypeScript (SQL has no dictionary), and stored beside the name (migration 0011).
import type { Kysely } from 'kysely';
import { pinyin } from 'pinyin-pro';
import * as q from './queries.ts';
import type { OrgDb } from './shared.ts';

/** How a name is spelled: 'wang xiao yan' and 'wxy'. */
export interface NamePinyin {
  namePinyin: string;
  nameInitials: string;
}

/**
 * The toneless pinyin of a name, syllables separated by one space, and their initials. The first
 * characters are read as a surname (pinyin-pro's surname mode), so heteronyms come out as a name:
 * 单 shan, 曾 zeng, 解 xie, 仇 qiu, 区 ou, 朴 piao, 查 zha, 盖 ge, 尉迟 yuchi. ü is written v (吕 lv),
 * as on every pinyin keyboard. Letters and digits in a name stay as they are, lower-cased; separators
 * (the · in 阿不都·热合曼, spaces) are dropped.
 *
 * About 30 µs a name once warm, but the dictionary's first use takes about half a second: callers
 * spell before they open a transaction, never while holding row locks.
 */
export function spellName(name: string): NamePinyin {
  const syllables = pinyin(name.normalize('NFKC'), {
    toneType: 'none',
    type: 'array',
    surname: 'head',
    nonZh: 'consecutive',
    v: true,
  })
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]+/g, ''))
    .filter((s) => s.length > 0);
  return { namePinyin: syllables.join(' '), nameInitials: syllables.map((s) => s[0]).join('') };
}

/**
 * What a search for `text` means in pinyin: lower-case letters with no spaces or apostrophes
 * ("Wang Xiao", "xi'an", "lü" → "wangxiao", "xian", "lv"), or undefined when it is not pinyin at all
 * (digits of an employee number, Chinese characters).
 */
export function pinyinSearchKey(text: string): string | undefined {
  const key = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ü/g, 'v')
    .replace(/[\s']+/g, '');
  return /^[a-z]+$/.test(key) ? key : undefined;
}

const FILL_BATCH = 1000;

/**
 * Spells the names written without pinyin: rows from before migration 0011, or from an instance still
 * on the previous version. Runs after the migrations at every start (a no-op once all are spelled).
 * No transaction: each batch is read, spelled with no connection held, and written in one statement
 * that skips a row whose name changed meanwhile (its new name is spelled by whoever changed it).
 * Returns how many people it spelled.
 */
export async function fillMissingPinyin(db: Kysely<OrgDb>): Promise<number> {
  let filled = 0;
  for (let afterId = 0; ;) {
    const batch = await q.peopleWithoutPinyin(db, afterId, FILL_BATCH);
    if (batch.length === 0) return filled;
    filled += await q.setPeoplePinyin(
      db,
      batch.map((p) => ({ id: p.id, name: p.name, ...spellName(p.name) })),
    );
    afterId = batch[batch.length - 1]?.id ?? afterId;
  }
}
