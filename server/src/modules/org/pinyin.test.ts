import { beforeAll, describe, expect, it } from 'vitest';
import { describeApp, type TestApp } from '../../../test/harness.ts';
import { signIn } from '../../../test/factories.ts';
import { fillMissingPinyin, pinyinSearchKey, spellName } from './pinyin.ts';

describe('spelling names in pinyin', () => {
  it.each([
    ['王晓燕', 'wang xiao yan', 'wxy'],
    ['单田芳', 'shan tian fang', 'stf'],
    ['曾国藩', 'zeng guo fan', 'zgf'],
    ['解缙', 'xie jin', 'xj'],
    ['仇英', 'qiu ying', 'qy'],
    ['区志坚', 'ou zhi jian', 'ozj'],
    ['朴树', 'piao shu', 'ps'],
    ['查良镛', 'zha liang yong', 'zly'],
    ['盖聂', 'ge nie', 'gn'],
    ['尉迟恭', 'yu chi gong', 'ycg'],
    ['吕布', 'lv bu', 'lb'],
    ['阿依古丽·买买提', 'a yi gu li mai mai ti', 'ayglmmt'],
    ['Ａmy 王', 'amy wang', 'aw'],
  ])('spells %s as %s (%s), heteronym surnames as surnames', (name, namePinyin, nameInitials) => {
    expect(spellName(name)).toEqual({ namePinyin, nameInitials });
  });

  it('reads a search as pinyin only when it is letters', () => {
    expect(pinyinSearchKey('Wang Xiao')).toBe('wangxiao');
    expect(pinyinSearchKey("xi'an")).toBe('xian');
    expect(pinyinSearchKey('lü')).toBe('lv');
    expect(pinyinSearchKey('ＷＸＹ')).toBe('wxy');
    expect(pinyinSearchKey('10008')).toBeUndefined();
    expect(pinyinSearchKey('王')).toBeUndefined();
    expect(pinyinSearchKey('L01')).toBeUndefined();
  });
});

describeApp('people in pinyin order, found by pinyin or initials', (get) => {
  const actor = { personId: null, requestId: 'test', ip: '' };
  let cookie: string;
  let hospitalId: number;
  let campusId: number;
  let departmentId: number;

  const names = async (query: string): Promise<string[]> => {
    const res = await get().app.inject({
      method: 'GET',
      url: `/api/people?campusId=${campusId}&pageSize=100&${query}`,
      headers: { cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: { name: string }[] }).items.map((p) => p.name);
  };
  const search = (q: string) => names(`q=${encodeURIComponent(q)}`);
  const spelling = (employeeNo: string) =>
    get()
      .database.db.selectFrom('people')
      .select(['namePinyin', 'nameInitials'])
      .where('employeeNo', '=', employeeNo)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    const t: TestApp = get();
    cookie = (await signIn(t, ['cashier'])).cookie;
    hospitalId = (await t.database.db.selectFrom('hospitals').select('id').executeTakeFirstOrThrow()).id;
    campusId = (await t.services.org.createCampus(hospitalId, { code: 'PY', name: '拼音院区' }, actor)).id;
    departmentId = (
      await t.services.org.createDepartment(hospitalId, { campusId, code: 'PY-1', name: '拼音科' }, actor)
    ).id;
    const people: [string, string][] = [
      ['PY07', '王晓燕'],
      ['PY03', '曾国藩'],
      ['PY05', '单田芳'],
      ['PY09', '张伟'],
      ['PY02', '张伟'],
      ['PY04', '万晓'],
      ['PY10', '艾青'],
      ['PY1', '白岩松'],
      ['PY08', '尉迟恭'],
      ['PY06', '吕布'],
    ];
    await t.database.db.transaction().execute((trx) =>
      t.services.org.addPeople(
        trx,
        hospitalId,
        people.map(([employeeNo, name]) => ({ employeeNo, name, departmentId })),
        actor,
      ),
    );
  });

  it('lists people in pinyin order, 单 as shan and 曾 as zeng, employee number breaking ties', async () => {
    const expected = ['艾青', '白岩松', '吕布', '单田芳', '万晓', '王晓燕', '尉迟恭', '曾国藩', '张伟', '张伟'];
    expect(await names('')).toEqual(expected);
    expect(await names('sort=name')).toEqual(expected);
    const res = await get().app.inject({
      method: 'GET',
      url: `/api/people?campusId=${campusId}&q=${encodeURIComponent('张伟')}`,
      headers: { cookie },
    });
    expect((res.json() as { items: { employeeNo: string }[] }).items.map((p) => p.employeeNo)).toEqual([
      'PY02',
      'PY09',
    ]);
    expect((await names('sort=employeeNo')).slice(0, 3)).toEqual(['张伟', '曾国藩', '万晓']);
  });

  it('finds a person by initials, by full pinyin or part of it, by name and by employee number', async () => {
    expect(await search('wxy')).toEqual(['王晓燕']);
    expect(await search('WX')).toEqual(['万晓', '王晓燕']);
    expect(await search('wangxiaoyan')).toEqual(['王晓燕']);
    expect(await search('Wang Xiao')).toEqual(['王晓燕']);
    expect(await search('xiaoyan')).toEqual(['王晓燕']);
    expect(await search('shan')).toEqual(['单田芳']);
    expect(await search('dan')).toEqual([]);
    expect(await search('zeng')).toEqual(['曾国藩']);
    expect(await search('yuchi')).toEqual(['尉迟恭']);
    expect(await search('lü')).toEqual(['吕布']);
    expect(await search('晓')).toEqual(['万晓', '王晓燕']);
    expect(await search('PY07')).toEqual(['王晓燕']);
  });

  it('puts the person whose employee number was typed in full first, so Enter in a picker takes them', async () => {
    // PY10 (艾青) sorts before PY1 (白岩松) in pinyin, and both start with PY1.
    expect(await search('py1')).toEqual(['白岩松', '艾青']);
  });

  it('spells a renamed person again, so the new name is found and the old one is not', async () => {
    const t = get();
    const { id } = await t.database.db
      .selectFrom('people')
      .select('id')
      .where('employeeNo', '=', 'PY04')
      .executeTakeFirstOrThrow();
    await t.services.org.updatePerson(hospitalId, id, { name: '仇英' }, actor);
    expect(await spelling('PY04')).toEqual({ namePinyin: 'qiu ying', nameInitials: 'qy' });
    expect(await search('qy')).toEqual(['仇英']);
    expect(await search('wx')).toEqual(['王晓燕']);
    await t.services.org.updatePerson(hospitalId, id, { phone: '13800000000' }, actor);
    expect(await spelling('PY04')).toEqual({ namePinyin: 'qiu ying', nameInitials: 'qy' });
  });

  it('spells the people an import creates', async () => {
    const t = get();
    const csv = '\uFEFF工号,姓名,科室\nPY20,解缙,PY-1\nPY21,区志坚,PY-1\n';
    const result = await t.services.peopleImport.importPeople(
      { hospitalId, fileName: 'people.csv', bytes: new TextEncoder().encode(csv) },
      false,
      actor,
    );
    expect(result.created).toHaveLength(2);
    expect(await spelling('PY20')).toEqual({ namePinyin: 'xie jin', nameInitials: 'xj' });
    expect(await search('ozj')).toEqual(['区志坚']);
  });

  it('spells, after the migrations, the people written without pinyin, and leaves the others', async () => {
    const t = get();
    // As a row from before migration 0011, or from an instance still on the previous version.
    await t.database.db
      .insertInto('people')
      .values({ hospitalId, employeeNo: 'PY30', name: '查良镛', departmentId })
      .execute();
    expect(await search('zly')).toEqual([]);
    expect(await fillMissingPinyin(t.database.db)).toBe(1);
    expect(await spelling('PY30')).toEqual({ namePinyin: 'zha liang yong', nameInitials: 'zly' });
    expect(await search('zly')).toEqual(['查良镛']);
    expect(await fillMissingPinyin(t.database.db)).toBe(0);
  });
});
