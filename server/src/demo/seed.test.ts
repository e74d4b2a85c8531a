import { sql, type Transaction } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../tables.ts';
import { spellName } from '../modules/org/index.ts';
import type { PersonLifecycleListener, PersonRef } from '../platform/lifecycle.ts';
import { ONE_DATABASE, describeApp, type TestApp } from '../../test/harness.ts';
import {
  DEMO_PASSWORD,
  isDatabaseEmpty,
  mulberry32,
  planDemoHospital,
  seedDemoHospital,
  type SeedResult,
} from './seed.ts';

describe('the demo hospital plan', () => {
  const plan = planDemoHospital(42);

  it('is the same hospital for the same seed, and another for another seed', () => {
    expect(planDemoHospital(42)).toEqual(plan);
    const other = planDemoHospital(43);
    expect(other.people.map((p) => p.name)).not.toEqual(plan.people.map((p) => p.name));
    expect(mulberry32(1)()).toBe(mulberry32(1)());
  });

  it('has two campuses, about forty departments with a building and floor, and 2,000 people', () => {
    expect(plan.campuses).toHaveLength(2);
    expect(plan.departments.length).toBeGreaterThanOrEqual(35);
    expect(plan.departments.length).toBeLessThanOrEqual(45);
    for (const d of plan.departments) expect(d.building && d.floor, d.code).toBeTruthy();
    const seen = new Set<string>();
    for (const d of plan.departments) {
      if (d.parent !== null) expect(seen.has(d.parent), `${d.code} comes after its parent`).toBe(true);
      seen.add(d.code);
    }
    expect(plan.people).toHaveLength(2000);
    expect(new Set(plan.people.map((p) => p.employeeNo)).size).toBe(2000);
  });

  it('is mostly staff, with some contractors, patient families and people who have left', () => {
    const count = (pred: (p: (typeof plan.people)[number]) => boolean) => plan.people.filter(pred).length;
    expect(count((p) => p.kind === 'staff')).toBeGreaterThan(1700);
    expect(count((p) => p.kind === 'contractor')).toBeGreaterThan(50);
    expect(count((p) => p.kind === 'patient_family')).toBeGreaterThan(20);
    expect(count((p) => p.status === 'left')).toBeGreaterThan(10);
    for (const p of plan.people) {
      expect(p.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
      if (p.leftOn) expect(p.leftOn >= p.joinedOn).toBe(true);
    }
  });

  it('names one demo user per role, each also staff', () => {
    const users = plan.people.filter((p) => p.username);
    expect(users.map((u) => u.username)).toEqual([
      'admin',
      'finance',
      'cashier',
      'manager',
      'kitchen',
      'delivery',
      'auditor',
      'staff',
    ]);
    expect(users.find((u) => u.username === 'manager')?.roles).toEqual(['canteen_manager', 'staff']);
    for (const u of users) expect(u.roles).toContain('staff');
  });
});

// Loaded once, then every test below asserts on that one load. On one database only: loading takes
// long (thousands of sales through the ledger), the ledger's SQL runs on both databases in its own
// suites, and the browser tests and cli.test.ts load the demo on PGlite in every run.
describeApp('loading the demo hospital into the app', demoLoaded, {}, ONE_DATABASE);

function demoLoaded(get: () => TestApp): void {
  const heard: PersonRef[][] = [];
  const listener: PersonLifecycleListener = {
    async peopleActivated(trx: Transaction<DB>, people: PersonRef[]) {
      heard.push(people);
      // Inside the load's transaction the people are already there.
      const row = await trx
        .selectFrom('people')
        .select('id')
        .where('id', '=', people[0]?.id ?? 0)
        .executeTakeFirst();
      expect(row).toBeDefined();
    },
    async peopleLeft() {},
  };
  const plan = planDemoHospital(7);
  let money: SeedResult['money'] | undefined;

  beforeAll(async () => {
    const t = get();
    // The app's own org service: the ledger and cards listeners it carries fire as well as ours.
    t.services.org.addLifecycleListener(listener);
    expect(await isDatabaseEmpty(t.database.db)).toBe(true);
    const result = await seedDemoHospital(t.database.db, {
      seed: 7,
      auth: t.services.auth,
      clock: t.clock,
      org: t.services.org,
    });
    money = result.money;
    expect(result).toMatchObject({ campuses: 2, departments: plan.departments.length, people: 2000 });
  }, 300_000);

  it('writes exactly the planned people, in order', async () => {
    const rows = await get()
      .database.db.selectFrom('people')
      .select(['employeeNo', 'name', 'kind', 'status'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual(
      plan.people.map((p) => ({ employeeNo: p.employeeNo, name: p.name, kind: p.kind, status: p.status })),
    );
    expect(await isDatabaseEmpty(get().database.db)).toBe(false);
  });

  it('spells every demo name in pinyin, so the people lists sort and search by it', async () => {
    const rows = await get().database.db.selectFrom('people').select(['name', 'namePinyin', 'nameInitials']).execute();
    expect(rows.filter((r) => r.namePinyin === null)).toEqual([]);
    expect(rows.find((r) => r.name === '王晓燕')).toMatchObject({ namePinyin: 'wang xiao yan', nameInitials: 'wxy' });
    for (const r of rows) expect({ namePinyin: r.namePinyin, nameInitials: r.nameInitials }).toEqual(spellName(r.name));
  });

  it('builds the department tree with buildings and floors', async () => {
    const rows = await get()
      .database.db.selectFrom('departments as d')
      .leftJoin('departments as p', 'p.id', 'd.parentId')
      .select(['d.code', 'p.code as parentCode', 'd.building', 'd.floor'])
      .execute();
    const byCode = new Map(rows.map((r) => [r.code, r]));
    for (const d of plan.departments) {
      expect(byCode.get(d.code)).toEqual({ code: d.code, parentCode: d.parent, building: d.building, floor: d.floor });
    }
  });

  it('tells the lifecycle listeners about every active person, once', async () => {
    const active = plan.people.filter((p) => p.status === 'active').map((p) => p.employeeNo);
    expect(heard.flat().map((p) => p.employeeNo)).toEqual(active);
  });

  it('lets each demo user sign in with the demo password and the role they are named for', async () => {
    const { app } = get();
    const login = (username: string) =>
      app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    expect((await login('admin')).json().roles.sort()).toEqual(['admin', 'staff']);
    expect((await login('manager')).json().roles.sort()).toEqual(['canteen_manager', 'staff']);
    const staff = await login('staff');
    expect(staff.json()).toMatchObject({ roles: ['staff'], permissions: [] });
    const cookie = `canteen_session=${staff.cookies.find((c) => c.name === 'canteen_session')?.value}`;
    const profile = await app.inject({ method: 'GET', url: '/api/me/profile', headers: { cookie } });
    expect(profile.json()).toMatchObject({
      name: '王晓燕',
      department: { name: '产一区', building: '住院楼A', floor: '5' },
      campus: { name: '河滨院区' },
    });
  });

  it('opens a wallet for every active demo person and none for those who left', async () => {
    const { services, database } = get();
    const staff = await database.db
      .selectFrom('people')
      .select('id')
      .where('employeeNo', '=', '10008')
      .executeTakeFirstOrThrow();
    expect(await services.wallets.balances(staff.id)).toMatchObject({ status: 'open' });
    const leaver = plan.people.find((p) => p.status === 'left');
    const left = await database.db
      .selectFrom('people')
      .select('id')
      .where('employeeNo', '=', leaver?.employeeNo ?? '')
      .executeTakeFirstOrThrow();
    await expect(services.wallets.balances(left.id)).rejects.toMatchObject({ code: 'NO_WALLET' });
  });

  it('gives the demo hospital money: a month of subsidy, cash top-ups and two weeks of sales at meal peaks', async () => {
    const { services, database } = get();
    const staffKinds = plan.people.filter((p) => p.status === 'active');
    const expectedGrant = staffKinds.reduce(
      (sum, p) => sum + (p.kind === 'staff' ? 40_000 : p.kind === 'contractor' ? 30_000 : 0),
      0,
    );
    expect(money).toMatchObject({ subsidyGrantedFen: expectedGrant });
    expect(money!.topUps).toBeGreaterThan(30);
    expect(money!.sales).toBeGreaterThan(2000);
    const staff = await database.db
      .selectFrom('people')
      .select('id')
      .where('employeeNo', '=', '10008')
      .executeTakeFirstOrThrow();
    const wallet = await services.wallets.balances(staff.id);
    expect(wallet.availableFen).toBeGreaterThan(0);
    expect(wallet.ownFen).toBeGreaterThan(0);
    const statement = await services.statements.statement(staff.id, { limit: 100 });
    expect(statement.items.map((i) => i.kind)).toEqual(expect.arrayContaining(['spend', 'top_up', 'subsidy_grant']));
    // Sales bunch at the meal peaks: lunch the most, then breakfast, then dinner (local time).
    const hours = await sql<{ hour: number; n: number }>`
      SELECT extract(hour FROM created_at AT TIME ZONE 'Asia/Shanghai')::int AS hour, count(*)::int AS n
        FROM journal_entries WHERE kind = 'spend' GROUP BY 1`.execute(database.db);
    const share = (from: number, to: number) =>
      hours.rows.filter((r) => r.hour >= from && r.hour < to).reduce((sum, r) => sum + r.n, 0) / money!.sales;
    expect(share(6, 9)).toBeGreaterThan(0.25);
    expect(share(6, 9)).toBeLessThan(0.37);
    expect(share(11, 13)).toBeGreaterThan(0.42);
    expect(share(16, 19)).toBeGreaterThan(0.15);
    expect(share(16, 19)).toBeLessThan(0.27);
    expect((await services.ledger.verify()).breaches).toEqual([]);
  });
}
