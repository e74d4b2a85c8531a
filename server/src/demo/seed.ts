// The demo hospital: a fictional provincial maternal and child hospital (妇幼保健院) with two
// campuses, about forty departments and two thousand people. Generated from a seed value: the same
// seed gives the same hospital, so tests and screenshots can rely on it. It is loaded through the
// org service's bulk path, so every module that reacts to people joining (the ledger's wallets)
// sees the demo people exactly as it would see an Excel import.
import type { Kysely } from 'kysely';
import { LedgerService } from '../modules/ledger/index.ts';
import { OrgService, spellName, type PersonRow } from '../modules/org/index.ts';
import type { DepartmentKind, PersonKind } from '../modules/org/tables.ts';
import { FundingService, WalletsService } from '../modules/wallets/index.ts';
import type { Actor } from '../platform/audit.ts';
import type { AuthService } from '../platform/auth/service.ts';
import type { Role } from '../platform/auth/permissions.ts';
import { FixedClock, localDay, localMidnight, type Clock } from '../platform/clock.ts';
import type { PersonLifecycleListener } from '../platform/lifecycle.ts';
import type { DB } from '../tables.ts';

export const DEMO_PASSWORD = 'canteen123';

export interface SeedOptions {
  seed: number;
  auth: AuthService;
  clock: Clock;
  /** The app's org service, so the lifecycle listeners other modules registered fire for the demo people. */
  org?: OrgService;
  /** Used only when `org` is not given. */
  listeners?: PersonLifecycleListener[];
  /** Told what is being loaded, a line at a time (`npm start` shows it, so a long load is not taken for a hang). */
  progress?: (line: string) => void;
}

export interface SeedResult {
  campuses: number;
  departments: number;
  people: number;
  /** The money the demo hospital starts with (see seedDemoMoney). */
  money: DemoMoneyResult;
}

export interface DemoMoneyResult {
  subsidyGrantedFen: number;
  topUps: number;
  sales: number;
  salesFen: number;
}

export async function isDatabaseEmpty(db: Kysely<DB>): Promise<boolean> {
  return !(await db.selectFrom('hospitals').select('id').limit(1).executeTakeFirst());
}

// —— the plan: pure data from the seed ——

export interface DemoCampus {
  code: string;
  name: string;
  address: string;
}

export interface DemoDepartment {
  campus: string;
  code: string;
  parent: string | null;
  name: string;
  kind: DepartmentKind;
  building: string;
  floor: string;
  /** How many people work here, relative to other departments. */
  weight: number;
}

export interface DemoPerson {
  employeeNo: string;
  name: string;
  phone: string;
  department: string | null;
  kind: PersonKind;
  status: 'active' | 'left';
  joinedOn: string;
  leftOn: string | null;
  roles: Role[];
  /** Set for the named demo users who sign in with DEMO_PASSWORD. */
  username?: string;
}

export interface DemoHospital {
  hospital: { code: string; name: string; timeZone: string };
  campuses: DemoCampus[];
  departments: DemoDepartment[];
  people: DemoPerson[];
}

const CAMPUSES: DemoCampus[] = [
  { code: 'HB', name: '河滨院区', address: '江南省临江市河滨路 88 号' },
  { code: 'XC', name: '新城院区', address: '江南省临江市新城大道 1200 号' },
];

// [campus, code, parent, name, kind, building, floor, weight]; parents come before their children.
const DEPARTMENTS: [string, string, string | null, string, DepartmentKind, string, string, number][] = [
  ['HB', 'FCK', null, '妇产科', 'clinical', '门诊楼', '3', 40],
  ['HB', 'CK1', 'FCK', '产一区', 'ward', '住院楼A', '5', 90],
  ['HB', 'CK2', 'FCK', '产二区', 'ward', '住院楼A', '6', 85],
  ['HB', 'FK1', 'FCK', '妇科病区', 'ward', '住院楼A', '7', 75],
  ['HB', 'CF', 'FCK', '产房', 'clinical', '住院楼A', '4', 60],
  ['HB', 'EK', null, '儿科', 'clinical', '门诊楼', '2', 45],
  ['HB', 'EK1', 'EK', '儿科一病区', 'ward', '住院楼B', '3', 70],
  ['HB', 'EK2', 'EK', '儿科二病区', 'ward', '住院楼B', '4', 65],
  ['HB', 'XSEK', null, '新生儿科', 'clinical', '住院楼B', '5', 55],
  ['HB', 'NICU', 'XSEK', '新生儿重症监护室', 'ward', '住院楼B', '6', 70],
  ['HB', 'SZYX', null, '生殖医学中心', 'clinical', '医技楼', '4', 50],
  ['HB', 'RXK', null, '乳腺科', 'clinical', '门诊楼', '4', 30],
  ['HB', 'MZB', null, '门诊部', 'clinical', '门诊楼', '1', 45],
  ['HB', 'JZK', null, '急诊科', 'clinical', '急诊楼', '1', 50],
  ['HB', 'MZK', null, '麻醉科', 'clinical', '住院楼A', '4', 40],
  ['HB', 'JYK', null, '检验科', 'medical_technology', '医技楼', '2', 55],
  ['HB', 'YXK', null, '医学影像科', 'medical_technology', '医技楼', '1', 40],
  ['HB', 'CSK', 'YXK', '超声科', 'medical_technology', '医技楼', '3', 45],
  ['HB', 'BLK', null, '病理科', 'medical_technology', '医技楼', '5', 25],
  ['HB', 'YJK', null, '药剂科', 'medical_technology', '门诊楼', '1', 20],
  ['HB', 'MZYF', 'YJK', '门诊药房', 'medical_technology', '门诊楼', '1', 30],
  ['HB', 'ZYYF', 'YJK', '住院药房', 'medical_technology', '住院楼A', '1', 25],
  ['HB', 'HLB', null, '护理部', 'administrative', '行政楼', '3', 15],
  ['HB', 'YWB', null, '医务部', 'administrative', '行政楼', '2', 18],
  ['HB', 'CWK', null, '财务科', 'administrative', '行政楼', '4', 22],
  ['HB', 'RSK', null, '人事科', 'administrative', '行政楼', '4', 14],
  ['HB', 'XXK', null, '信息科', 'administrative', '行政楼', '5', 20],
  ['HB', 'YB', null, '院办', 'administrative', '行政楼', '6', 15],
  ['HB', 'HQBZ', null, '后勤保障部', 'logistics', '后勤楼', '2', 20],
  ['HB', 'YYSS', 'HQBZ', '营养膳食科', 'logistics', '后勤楼', '1', 45],
  ['HB', 'BWK', 'HQBZ', '保卫科', 'logistics', '后勤楼', '2', 30],
  ['HB', 'SBK', 'HQBZ', '设备科', 'logistics', '后勤楼', '3', 20],
  ['XC', 'XCFC', null, '妇产科（新城）', 'clinical', '1号楼', '3', 35],
  ['XC', 'XCCK', 'XCFC', '产科病区（新城）', 'ward', '2号楼', '5', 60],
  ['XC', 'XCEB', null, '儿童保健科', 'clinical', '1号楼', '2', 45],
  ['XC', 'XCEK', null, '儿科病区（新城）', 'ward', '2号楼', '4', 55],
  ['XC', 'XCJY', null, '检验科（新城）', 'medical_technology', '1号楼', '4', 30],
  ['XC', 'XCYF', null, '药房（新城）', 'medical_technology', '1号楼', '1', 20],
  ['XC', 'XCBG', null, '新城院区办公室', 'administrative', '3号楼', '2', 15],
  ['XC', 'XCHQ', null, '后勤组（新城）', 'logistics', '3号楼', '1', 15],
  ['XC', 'XCST', 'XCHQ', '职工食堂（新城）', 'logistics', '3号楼', '1', 25],
];

// The named demo users: one per role, each also a member of staff.
const DEMO_USERS: { username: string; name: string; department: string; role: Role }[] = [
  { username: 'admin', name: '林志远', department: 'XXK', role: 'admin' },
  { username: 'finance', name: '陈静', department: 'CWK', role: 'finance' },
  { username: 'cashier', name: '黄丽娟', department: 'YYSS', role: 'cashier' },
  { username: 'manager', name: '周建国', department: 'YYSS', role: 'canteen_manager' },
  { username: 'kitchen', name: '吴海生', department: 'YYSS', role: 'kitchen' },
  { username: 'delivery', name: '郑小龙', department: 'YYSS', role: 'delivery' },
  { username: 'auditor', name: '许文华', department: 'YB', role: 'auditor' },
  { username: 'staff', name: '王晓燕', department: 'CK1', role: 'staff' },
];

// Common surnames, weighted roughly by how often they occur in southern China.
const SURNAMES: [string, number][] = [
  ['陈', 90],
  ['李', 80],
  ['黄', 75],
  ['张', 70],
  ['王', 70],
  ['林', 60],
  ['刘', 60],
  ['吴', 45],
  ['杨', 40],
  ['周', 35],
  ['郑', 35],
  ['梁', 35],
  ['何', 30],
  ['罗', 30],
  ['谢', 28],
  ['徐', 25],
  ['朱', 25],
  ['赵', 22],
  ['孙', 20],
  ['胡', 20],
  ['郭', 20],
  ['马', 18],
  ['高', 18],
  ['叶', 18],
  ['蔡', 16],
  ['冯', 15],
  ['邓', 15],
  ['曾', 15],
  ['彭', 14],
  ['许', 14],
  ['苏', 13],
  ['卢', 12],
  ['蒋', 12],
  ['潘', 12],
  ['钟', 12],
  ['方', 11],
  ['唐', 11],
  ['韩', 10],
  ['余', 10],
  ['袁', 10],
  ['江', 9],
  ['汪', 9],
  ['范', 8],
  ['廖', 8],
  ['邱', 8],
  ['田', 7],
  ['姚', 7],
  ['沈', 7],
  ['魏', 6],
  ['丁', 6],
  ['程', 6],
  ['欧阳', 3],
  ['司马', 1],
];
const FEMALE_CHARS = '丽娟芳静敏燕红霞玲琳婷雪慧颖欣怡佳雅璐晓晶倩琴秀萍淑梅兰凤洁蓉薇岚莉妍媛悦诗梦瑶'.split('');
const MALE_CHARS = '伟强磊军勇杰涛斌超明辉刚健鹏华平志国建文浩宇俊峰博宏海东林杰龙'.split('');
const COMMON_CHARS = '晓子一嘉思家小文新春秋立成安宁永世天'.split('');

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same sequence on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PEOPLE = 2000;

/** The whole demo hospital as plain data, decided by the seed alone (no database, no clock). */
export function planDemoHospital(seed: number): DemoHospital {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const weighted = <T>(items: readonly [T, number][]): T => {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let r = random() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return (items[items.length - 1] as [T, number])[0];
  };
  const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const day = (fromYear: number, toYear: number): string => {
    const year = fromYear + Math.floor(random() * (toYear - fromYear + 1));
    const month = 1 + Math.floor(random() * 12);
    const dayOfMonth = 1 + Math.floor(random() * 28);
    return `${year}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
  };
  const name = (female: boolean): string => {
    const chars = female ? FEMALE_CHARS : MALE_CHARS;
    const given = random() < 0.7 ? `${random() < 0.4 ? pick(COMMON_CHARS) : pick(chars)}${pick(chars)}` : pick(chars);
    return weighted(SURNAMES) + given;
  };
  const phone = (): string => `1${pick(['3', '5', '7', '8', '9'])}${digits(9)}`;

  const departments = DEPARTMENTS.map(([campus, code, parent, deptName, kind, building, floor, weight]) => ({
    campus,
    code,
    parent,
    name: deptName,
    kind,
    building,
    floor,
    weight,
  }));
  const byWeight = departments.map((d) => [d.code, d.weight] as [string, number]);
  const wards = departments.filter((d) => d.kind === 'ward').map((d) => d.code);
  const logistics = departments
    .filter((d) => d.kind === 'logistics')
    .map((d) => [d.code, d.weight] as [string, number]);

  const people: DemoPerson[] = [];
  let staffNo = 10001;
  let contractorNo = 1;
  let familyNo = 1;
  let visitorNo = 1;
  for (const user of DEMO_USERS) {
    people.push({
      employeeNo: String(staffNo++),
      name: user.name,
      phone: phone(),
      department: user.department,
      kind: 'staff',
      status: 'active',
      joinedOn: day(2005, 2020),
      leftOn: null,
      roles: user.role === 'staff' ? ['staff'] : [user.role, 'staff'],
      username: user.username,
    });
  }
  while (people.length < PEOPLE) {
    const r = random();
    // Mostly staff; contractors run the kitchen, cleaning and security; families of inpatients
    // eat in the canteen with a family card; a few visitors hold temporary accounts.
    const kind: PersonKind = r < 0.9 ? 'staff' : r < 0.955 ? 'contractor' : r < 0.99 ? 'patient_family' : 'visitor';
    // A maternal and child hospital's staff are mostly women.
    const female = random() < (kind === 'staff' ? 0.78 : 0.5);
    const left = kind === 'staff' && random() < 0.03;
    const person: DemoPerson = {
      employeeNo: '',
      name: name(female),
      phone: phone(),
      department: null,
      kind,
      status: left ? 'left' : 'active',
      joinedOn: kind === 'staff' ? day(1995, 2025) : day(2024, 2025),
      leftOn: left ? day(2025, 2025) : null,
      roles: kind === 'staff' ? ['staff'] : [],
    };
    if (kind === 'staff') {
      person.employeeNo = String(staffNo++);
      person.department = weighted(byWeight);
    } else if (kind === 'contractor') {
      // 外包: W + four digits
      person.employeeNo = `W${String(contractorNo++).padStart(4, '0')}`;
      person.department = weighted(logistics);
    } else if (kind === 'patient_family') {
      // 家属: JS + four digits, attached to the ward where their family member stays
      person.employeeNo = `JS${String(familyNo++).padStart(4, '0')}`;
      person.department = pick(wards);
    } else {
      // 访客: FK + three digits, no department
      person.employeeNo = `FK${String(visitorNo++).padStart(3, '0')}`;
    }
    if (person.leftOn && person.leftOn < person.joinedOn) person.leftOn = person.joinedOn;
    people.push(person);
  }
  return {
    hospital: { code: 'JNFY', name: '江南省妇幼保健院', timeZone: 'Asia/Shanghai' },
    campuses: CAMPUSES,
    departments,
    people,
  };
}

// —— loading the plan ——

/** Loads the demo hospital into an empty database in one transaction, then sets the demo passwords. */
export async function seedDemoHospital(db: Kysely<DB>, options: SeedOptions): Promise<SeedResult> {
  const plan = planDemoHospital(options.seed);
  const org = options.org ?? new OrgService(db, options.clock, options.listeners ?? []);
  const actor: Actor = { personId: null, requestId: `demo-seed-${options.seed}`, ip: '' };

  // Spelled in pinyin before the transaction, as every bulk path does (the dictionary is the slow part).
  const pinyin = plan.people.map((p) => spellName(p.name));
  const logins = await db.transaction().execute(async (trx) => {
    const hospital = await org.createHospital(trx, plan.hospital);
    const campusIds = new Map<string, number>();
    for (const campus of plan.campuses) {
      campusIds.set(campus.code, (await org.createCampus(hospital.id, campus, actor, trx)).id);
    }
    const departmentIds = new Map<string, number>();
    for (const [index, d] of plan.departments.entries()) {
      const created = await org.createDepartment(
        hospital.id,
        {
          campusId: campusIds.get(d.campus) as number,
          parentId: d.parent === null ? null : (departmentIds.get(d.parent) as number),
          code: d.code,
          name: d.name,
          kind: d.kind,
          building: d.building,
          floor: d.floor,
          sortOrder: index * 10,
        },
        actor,
        trx,
      );
      departmentIds.set(d.code, created.id);
    }
    const rows: PersonRow[] = plan.people.map((p, i) => ({
      employeeNo: p.employeeNo,
      name: p.name,
      phone: p.phone,
      departmentId: p.department === null ? null : (departmentIds.get(p.department) as number),
      kind: p.kind,
      status: p.status,
      joinedOn: p.joinedOn,
      leftOn: p.leftOn,
      roles: p.roles,
      pinyin: pinyin[i],
    }));
    const refs = await org.addPeople(trx, hospital.id, rows, actor);
    return plan.people.flatMap((p, i) =>
      p.username ? [{ username: p.username, personId: (refs[i] as { id: number }).id }] : [],
    );
  });
  const progress = options.progress ?? (() => {});
  progress(
    `people: ${plan.campuses.length} campuses, ${plan.departments.length} departments, ${plan.people.length} people`,
  );
  // After the commit: setting a password is its own statement on the pool, not part of the load. The
  // hashes (scrypt) run on libuv's thread pool, so they are made side by side.
  await Promise.all(logins.map((l) => options.auth.setPassword(l.personId, l.username, DEMO_PASSWORD)));
  const money = await seedDemoMoney(db, plan, options.seed, options.clock.now(), progress);
  return { campuses: plan.campuses.length, departments: plan.departments.length, people: plan.people.length, money };
}

// —— the money: a month's subsidy, some cash top-ups and two weeks of canteen sales ——

/** Days of sales before today (and today up to now). Kept short so the first `npm start` stays quick. */
const SALE_DAYS = 14;
/** How many people eat in the canteen in the demo (the named demo users always do). */
const DINERS = 150;
const SUBSIDY_FEN: Partial<Record<PersonKind, number>> = { staff: 40_000, contractor: 30_000 };
const TOP_UP_FEN = [5_000, 10_000, 20_000, 50_000];

interface MealPeriod {
  meal: 'breakfast' | 'lunch' | 'dinner';
  /** Local minutes after midnight of the peak, and how far either side sales spread. */
  peak: number;
  spread: number;
  /** Chance that a diner eats this meal on a given day: 31 % / 48 % / 21 % of sales, as in the seed paper. */
  chance: number;
  /** Price range in fen (rounded to 50 fen): staff meals are subsidised, so cheap. */
  price: [number, number];
}

const MEALS: MealPeriod[] = [
  { meal: 'breakfast', peak: 7 * 60 + 30, spread: 45, chance: 0.47, price: [200, 600] },
  { meal: 'lunch', peak: 12 * 60, spread: 40, chance: 0.73, price: [800, 1_600] },
  { meal: 'dinner', peak: 17 * 60 + 30, spread: 50, chance: 0.32, price: [600, 1_400] },
];

const DAY_MS = 86_400_000;
/** Sales per round trip and transaction while loading them (about five progress lines in all). */
const SALE_BATCH = 700;

/**
 * Gives the demo hospital money through the ledger's own rules, so statements, the journal and charts
 * have something to show: the subsidy of the month the sales start in (¥400 staff, ¥300 contractors),
 * cash top-ups for about a third of the diners, and SALE_DAYS days of sales at the breakfast, lunch and
 * dinner peaks. Decided by the seed and `now` alone; every sale carries a deterministic idempotency key.
 * The ledger here runs on its own clock, set to each movement's time, so the journal reads like history.
 */
async function seedDemoMoney(
  db: Kysely<DB>,
  plan: DemoHospital,
  seed: number,
  now: Date,
  progress: (line: string) => void,
): Promise<DemoMoneyResult> {
  const zone = plan.hospital.timeZone;
  const clock = new FixedClock(now);
  // The demo's own services on the demo's clock (the journal reads like history); nobody to alert.
  const ledger = new LedgerService(db, clock, { timeZone: zone, alertRecipients: async () => [] });
  const wallets = new WalletsService(db, clock, ledger);
  const funding = new FundingService(db, clock, ledger, wallets);
  const actor: Actor = { personId: null, requestId: `demo-seed-${seed}`, ip: '' };
  const hospital = await db
    .selectFrom('hospitals')
    .select('id')
    .where('code', '=', plan.hospital.code)
    .executeTakeFirstOrThrow();
  // The counters that take cash, as finance sets them up in the ledger settings: one per campus.
  const cashCounters = plan.campuses.map((c) => `${c.code}-CASH`);
  await wallets.updateSettings(hospital.id, { cashCounters }, actor);
  const random = mulberry32(seed ^ 0x6d6f6e79);
  const ids = new Map(
    (await db.selectFrom('people').select(['id', 'employeeNo']).execute()).map((p) => [p.employeeNo, p.id]),
  );
  const campusOf = new Map(plan.departments.map((d) => [d.code, d.campus]));
  const active = plan.people.filter((p) => p.status === 'active');

  const today = localDay(now, zone);
  const firstDay = localMidnight(today, zone).getTime() - SALE_DAYS * DAY_MS;
  const month = localDay(new Date(firstDay), zone).slice(0, 7);
  // The month's subsidy, granted on the first morning of the sales window.
  clock.set(new Date(firstDay + 6 * 3_600_000));
  const lines = active.flatMap((p) => {
    const amountFen = SUBSIDY_FEN[p.kind];
    return amountFen ? [{ personId: ids.get(p.employeeNo)!, amountFen }] : [];
  });
  const grant = await funding.grantSubsidies(null, { batchId: `demo-${seed}-${month}`, month, lines }, actor);
  progress(`money: ${month} subsidy for ${lines.length} people`);
  const balance = new Map(lines.map((l) => [l.personId, l.amountFen]));

  // The diners: every named demo user, then people drawn from the active ones.
  const diners = active.filter((p) => p.username);
  const others = active.filter((p) => !p.username);
  while (diners.length < Math.min(DINERS, active.length)) {
    const [picked] = others.splice(Math.floor(random() * others.length), 1);
    diners.push(picked!);
  }
  let topUps = 0;
  // One transaction for all of them: each is still its own entry through the ledger's write path.
  await db.transaction().execute(async (trx) => {
    for (const [index, p] of diners.entries()) {
      // The demo `staff` user always has own funds, so /m shows both purses.
      if (p.username !== 'staff' && random() >= 0.35) continue;
      const personId = ids.get(p.employeeNo)!;
      const amountFen = TOP_UP_FEN[Math.floor(random() * TOP_UP_FEN.length)]!;
      clock.set(new Date(firstDay + (8 * 60 + index) * 60_000));
      await funding.topUp(
        trx,
        {
          personId,
          amountFen,
          source: 'cash',
          counter: `${(p.department && campusOf.get(p.department)) || plan.campuses[0]!.code}-CASH`,
          reference: `demo-${seed}-top-up-${personId}`,
          memo: '现金充值',
        },
        actor,
      );
      balance.set(personId, (balance.get(personId) ?? 0) + amountFen);
      topUps++;
    }
  });
  progress(`money: ${topUps} cash top-ups`);

  // Every sale of the window, then posted in time order (statements list entries by id).
  const sales: { at: number; personId: number; amountFen: number; campus: string }[] = [];
  for (let day = 0; day <= SALE_DAYS; day++) {
    const midnight = firstDay + day * DAY_MS;
    for (const p of diners) {
      const personId = ids.get(p.employeeNo)!;
      for (const meal of MEALS) {
        if (random() >= meal.chance) continue;
        // Two uniform draws: sales bunch at the peak and thin out towards the edges.
        const minute = meal.peak + Math.round((random() + random() - 1) * meal.spread);
        const at = midnight + minute * 60_000 + Math.floor(random() * 60) * 1000;
        const [low, high] = meal.price;
        const amountFen = Math.round((low + random() * (high - low)) / 50) * 50;
        if (at >= now.getTime()) continue;
        sales.push({ at, personId, amountFen, campus: (p.department && campusOf.get(p.department)) || 'HB' });
      }
    }
  }
  sales.sort((a, b) => a.at - b.at || a.personId - b.personId);
  // A diner whose purses are empty pays elsewhere: the demo never records a refused sale.
  const paid = sales.filter((sale) => {
    if ((balance.get(sale.personId) ?? 0) < sale.amountFen) return false;
    balance.set(sale.personId, balance.get(sale.personId)! - sale.amountFen);
    return true;
  });
  let posted = 0;
  let salesFen = 0;
  // Each sale goes through ledger_spend as a till's would, SALE_BATCH of them to a round trip (in PGlite a
  // round trip costs more than the sale) and a transaction per batch: a first start shows its progress.
  for (let from = 0; from < paid.length; from += SALE_BATCH) {
    const batch = paid.slice(from, from + SALE_BATCH).map((sale, i) => {
      const window = (sale.personId % 4) + 1;
      return {
        personId: sale.personId,
        amountFen: sale.amountFen,
        merchant: sale.campus === 'XC' ? 'canteen-xc' : 'canteen-hb',
        counter: `${sale.campus}-W0${window}`,
        terminal: `POS-${sale.campus}-0${window}`,
        idempotencyKey: `demo-${seed}-sale-${from + i}`,
        at: new Date(sale.at),
      };
    });
    await db.transaction().execute((trx) => wallets.spendMany(trx, batch, actor));
    posted += batch.length;
    salesFen += batch.reduce((sum, sale) => sum + sale.amountFen, 0);
    progress(`money: canteen sales ${posted}/${paid.length}`);
  }
  return { subsidyGrantedFen: grant.totalFen, topUps, sales: posted, salesFen };
}
