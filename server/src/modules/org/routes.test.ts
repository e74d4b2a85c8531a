import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES, rolesWith, type Permission, type Role } from '../../platform/auth/permissions.ts';
import { describeApp, type TestApp } from '../../../test/harness.ts';
import { joinPerson, newCampus, newDepartment, newPerson, signIn } from '../../../test/factories.ts';

interface Call {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  url: string;
  payload?: object;
}

describeApp('organisation routes', (get) => {
  const cookies = new Map<Role, string>();
  let n = 0;
  const next = () => ++n;
  let campusId: number;
  let departmentId: number;
  let personId: number;

  beforeAll(async () => {
    const t = get();
    for (const role of ROLES) cookies.set(role, (await signIn(t, [role])).cookie);
    campusId = (await newCampus(t.database.db)).id;
    departmentId = (await newDepartment(t.database.db, { campusId })).id;
    personId = (await newPerson(t.database.db, { departmentId })).id;
  });

  const send = (call: Call, cookie?: string) =>
    get().app.inject({ ...call, ...(cookie ? { headers: { cookie } } : {}) });
  const as = (role: Role, call: Call) => send(call, cookies.get(role));

  // Each route with the permission it needs and a request that succeeds for a role that holds it.
  const ROUTES: [Permission, () => Call][] = [
    ['org.read', () => ({ method: 'GET', url: '/api/campuses' })],
    ['org.write', () => ({ method: 'POST', url: '/api/campuses', payload: { code: `C${next()}`, name: '院区' } })],
    [
      'org.write',
      () => ({ method: 'PATCH', url: `/api/campuses/${campusId}`, payload: { address: `路 ${next()} 号` } }),
    ],
    ['org.read', () => ({ method: 'GET', url: '/api/departments' })],
    [
      'org.write',
      () => ({ method: 'POST', url: '/api/departments', payload: { campusId, code: `D${next()}`, name: '科室' } }),
    ],
    [
      'org.write',
      () => ({ method: 'PATCH', url: `/api/departments/${departmentId}`, payload: { floor: `${next()}` } }),
    ],
    ['people.read', () => ({ method: 'GET', url: '/api/people?pageSize=5' })],
    [
      'people.write',
      () => ({ method: 'POST', url: '/api/people', payload: { employeeNo: `R${next()}`, name: '新人', departmentId } }),
    ],
    ['people.read', () => ({ method: 'GET', url: `/api/people/${personId}` })],
    [
      'people.write',
      () => ({ method: 'PATCH', url: `/api/people/${personId}`, payload: { phone: `1380000${next()}` } }),
    ],
    ['people.read', () => ({ method: 'GET', url: '/api/roles' })],
    ['roles.assign', () => ({ method: 'PUT', url: `/api/people/${personId}/roles`, payload: { roles: ['staff'] } })],
    ['audit.read', () => ({ method: 'GET', url: `/api/audit?entity=person&entityId=${personId}` })],
  ];

  describe.each(ROUTES.map(([permission, call]) => [`${call().method} ${call().url}`, permission, call] as const))(
    '%s',
    (_name, permission, call) => {
      it.each(rolesWith(permission))(`lets %s in (${permission})`, async (role) => {
        const res = await as(role, call());
        expect(res.statusCode, res.body).toBeLessThan(300);
      });
      it.each(ROLES.filter((r) => !rolesWith(permission).includes(r)))('refuses %s with 403', async (role) => {
        const res = await as(role, call());
        expect(res.statusCode).toBe(403);
        expect(res.json().code).toBe('FORBIDDEN');
      });
      it('refuses a request without a session with 401', async () => {
        const res = await send(call());
        expect(res.statusCode).toBe(401);
        expect(res.json().code).toBe('UNAUTHENTICATED');
      });
    },
  );

  // The people page filters by campus and department: whoever may list people may list those.
  it.each(rolesWith('people.read'))('lets %s, who may see people, list the campuses and departments', async (role) => {
    expect((await as(role, { method: 'GET', url: '/api/campuses' })).statusCode).toBe(200);
    expect((await as(role, { method: 'GET', url: '/api/departments' })).statusCode).toBe(200);
  });

  it('writes the person and an audit row naming who did it', async () => {
    const t = get();
    const admin = await signIn(t, ['admin'], { name: '管理员甲' });
    const res = await send(
      {
        method: 'POST',
        url: '/api/people',
        payload: { employeeNo: 'A-77', name: ' 李娜 ', phone: '13800138000', departmentId, kind: 'contractor' },
      },
      admin.cookie,
    );
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ employeeNo: 'A-77', name: '李娜', kind: 'contractor', status: 'active', roles: [] });
    expect(body.department).toMatchObject({ id: departmentId, building: '1号楼', floor: expect.any(String) });
    const row = await t.database.db
      .selectFrom('people')
      .select(['name', 'phone', 'kind', 'departmentId'])
      .where('employeeNo', '=', 'A-77')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ name: '李娜', phone: '13800138000', kind: 'contractor', departmentId });
    const audit = await t.database.db
      .selectFrom('auditLog')
      .selectAll()
      .where('entity', '=', 'person')
      .where('entityId', '=', String(body.id))
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      actorId: admin.person.id,
      action: 'person.create',
      before: null,
      after: { employeeNo: 'A-77', name: '李娜' },
      requestId: res.headers['x-request-id'],
    });
  });

  it('refuses bad input with a clear code and changes nothing', async () => {
    const admin = cookies.get('admin');
    const post = (url: string, payload: object, method: Call['method'] = 'POST') =>
      send({ method, url, payload }, admin);

    const wrongTypes = await post('/api/people', { employeeNo: 42, name: '', departmentId: '3', extra: 1 });
    expect(wrongTypes.statusCode).toBe(400);
    expect(wrongTypes.json().code).toBe('VALIDATION_FAILED');
    expect(wrongTypes.json().errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['/body/employeeNo', '/body/name', '/body/departmentId', '/body/extra']),
    );

    await post('/api/people', { employeeNo: 'DUPE-1', name: '甲', departmentId });
    const dupe = await post('/api/people', { employeeNo: 'DUPE-1', name: '乙', departmentId });
    expect(dupe.statusCode).toBe(409);
    expect(dupe.json()).toMatchObject({ code: 'EMPLOYEE_NO_TAKEN', employeeNos: ['DUPE-1'] });

    const noDept = await post('/api/people', { employeeNo: 'NODEPT-1', name: '丙', departmentId: 987654 });
    expect(noDept.statusCode).toBe(422);
    expect(noDept.json().code).toBe('UNKNOWN_DEPARTMENT');

    const other = await newCampus(get().database.db);
    const wrongCampus = await post('/api/people', { employeeNo: 'WC-1', name: '丁', departmentId, campusId: other.id });
    expect(wrongCampus.statusCode).toBe(422);
    expect(wrongCampus.json().code).toBe('DEPARTMENT_CAMPUS_MISMATCH');

    const parent = (await post('/api/departments', { campusId, code: 'CYC-P', name: '父' })).json();
    const child = (await post('/api/departments', { campusId, parentId: parent.id, code: 'CYC-C', name: '子' })).json();
    const cycle = await post(`/api/departments/${parent.id}`, { parentId: child.id }, 'PATCH');
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json()).toMatchObject({ code: 'DEPARTMENT_CYCLE', errors: [{ path: '/body/parentId' }] });

    const role = await post(`/api/people/${personId}/roles`, { roles: ['staff', 'superuser'] }, 'PUT');
    expect(role.statusCode).toBe(422);
    expect(role.json().code).toBe('UNKNOWN_ROLE');

    const emptyEdit = await post(`/api/people/${personId}`, {}, 'PATCH');
    expect(emptyEdit.statusCode).toBe(400);

    const missing = await send({ method: 'GET', url: '/api/people/987654' }, admin);
    expect(missing.statusCode).toBe(404);

    const db = get().database.db;
    expect(
      await db.selectFrom('people').select('id').where('employeeNo', 'in', ['NODEPT-1', 'WC-1']).execute(),
    ).toEqual([]);
    expect(
      (await db.selectFrom('departments').select('parentId').where('id', '=', parent.id).executeTakeFirst())?.parentId,
    ).toBeNull();
  });

  it("shows the signed-in person's department, building, floor and campus", async () => {
    const t = get();
    const campus = await newCampus(t.database.db, { name: '河滨院区' });
    const dept = await newDepartment(t.database.db, { campusId: campus.id, name: '产一区' });
    const me = await signIn(t, ['staff'], { name: '王晓燕' });
    await t.database.db.updateTable('people').set({ departmentId: dept.id }).where('id', '=', me.person.id).execute();
    const res = await send({ method: 'GET', url: '/api/me/profile' }, me.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      personId: me.person.id,
      name: '王晓燕',
      employeeNo: me.person.employeeNo,
      kind: 'staff',
      department: { id: dept.id, code: dept.code, name: '产一区', building: '1号楼', floor: '3' },
      campus: { id: campus.id, name: '河滨院区' },
      roles: ['staff'],
    });
    expect((await send({ method: 'GET', url: '/api/me/profile' })).statusCode).toBe(401);
  });

  it('shows the history of a person, newest first, with who did what', async () => {
    const admin = cookies.get('admin');
    const created = (
      await send(
        { method: 'POST', url: '/api/people', payload: { employeeNo: 'HIST-1', name: '历史', departmentId } },
        admin,
      )
    ).json();
    await send({ method: 'PATCH', url: `/api/people/${created.id}`, payload: { status: 'left' } }, admin);
    await send({ method: 'PUT', url: `/api/people/${created.id}/roles`, payload: { roles: ['cashier'] } }, admin);
    const res = await send({ method: 'GET', url: `/api/audit?entity=person&entityId=${created.id}` }, admin);
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.total).toBe(3);
    expect(page.items.map((e: { action: string }) => e.action)).toEqual([
      'person.roles',
      'person.leave',
      'person.create',
    ]);
    expect(page.items[1]).toMatchObject({
      before: { status: 'active' },
      after: { status: 'left', leftOn: '2026-03-02' },
      actorName: '张三',
    });
  });

  it('joins a test person through the org service, audited, with roles', async () => {
    const person = await joinPerson(get(), { name: '赵敏', roles: ['cashier'] });
    expect(person).toMatchObject({ name: '赵敏', status: 'active', roles: ['cashier'] });
    const actions = await get()
      .database.db.selectFrom('auditLog')
      .select('action')
      .where('entity', '=', 'person')
      .where('entityId', '=', String(person.id))
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['person.create', 'person.roles']);
  });

  it('lists the roles with their permissions and holders', async () => {
    const res = await as('auditor', { method: 'GET', url: '/api/roles' });
    const roles = res.json().items;
    expect(roles.map((r: { code: string }) => r.code)).toEqual([...ROLES]);
    expect(roles.find((r: { code: string }) => r.code === 'finance')).toMatchObject({
      permissions: expect.arrayContaining(['subsidy.manage']),
      holders: expect.any(Number),
    });
  });

  it('publishes the organisation routes in the OpenAPI document', async () => {
    const doc = (await get().app.inject('/api/docs/json')).json();
    expect(doc.paths['/api/people'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['q', 'departmentId', 'page', 'pageSize']),
    );
    expect(doc.paths['/api/departments/{id}'].patch).toBeDefined();
  });
});

describeApp('people list: search, filters and paging', (get) => {
  let cookie: string;
  let campusId: number;
  let wardId: number;
  let parentId: number;
  let otherId: number;
  const list = async (query: string) => {
    const res = await get().app.inject({ method: 'GET', url: `/api/people?${query}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      items: { employeeNo: string; name: string; kind: string; status: string; roles: string[] }[];
      total: number;
      page: number;
      pageSize: number;
    };
  };

  beforeAll(async () => {
    const t: TestApp = get();
    cookie = (await signIn(t, ['cashier'])).cookie;
    const org = t.services.org;
    const actor = { personId: null, requestId: 'test', ip: '' };
    const hospitalId = (await t.database.db.selectFrom('hospitals').select('id').executeTakeFirstOrThrow()).id;
    campusId = (await org.createCampus(hospitalId, { code: 'LIST', name: '列表院区' }, actor)).id;
    parentId = (await org.createDepartment(hospitalId, { campusId, code: 'L-FCK', name: '妇产科' }, actor)).id;
    wardId = (await org.createDepartment(hospitalId, { campusId, parentId, code: 'L-CK1', name: '产一区' }, actor)).id;
    otherId = (await org.createDepartment(hospitalId, { campusId, code: 'L-JYK', name: '检验科' }, actor)).id;
    await t.database.db.transaction().execute((trx) =>
      org.addPeople(
        trx,
        hospitalId,
        [
          ...Array.from({ length: 25 }, (_, i) => ({
            employeeNo: `L${String(i + 1).padStart(3, '0')}`,
            name: i % 2 ? `陈丽${i}` : `林芳${i}`,
            departmentId: i < 10 ? parentId : i < 20 ? wardId : otherId,
          })),
          { employeeNo: 'LW01', name: '外包甲', departmentId: otherId, kind: 'contractor' as const },
          {
            employeeNo: 'LX01',
            name: '离职乙',
            departmentId: wardId,
            status: 'left' as const,
            roles: ['cashier' as const],
          },
          { employeeNo: 'L%_1', name: '百分号', departmentId: otherId },
        ],
        actor,
      ),
    );
  });

  it('pages through a campus in a stable order with the total', async () => {
    const first = await list(`campusId=${campusId}&sort=employeeNo&pageSize=10&page=1`);
    const second = await list(`campusId=${campusId}&sort=employeeNo&pageSize=10&page=2`);
    const third = await list(`campusId=${campusId}&sort=employeeNo&pageSize=10&page=3`);
    expect(first.total).toBe(28);
    expect([first.page, first.pageSize]).toEqual([1, 10]);
    const all = [...first.items, ...second.items, ...third.items].map((p) => p.employeeNo);
    expect(all).toHaveLength(28);
    expect(new Set(all).size).toBe(28);
    expect(all.slice(0, 3)).toEqual(['L%_1', 'L001', 'L002']);
    expect((await list(`campusId=${campusId}&sort=employeeNo&pageSize=10&page=1`)).items).toEqual(first.items);
  });

  it('searches by name contained or employee number prefix, with wildcards taken literally', async () => {
    expect((await list(`campusId=${campusId}&q=${encodeURIComponent('丽')}&pageSize=100`)).total).toBe(12);
    expect((await list(`q=L01&sort=employeeNo&pageSize=100`)).items.map((p) => p.employeeNo)).toEqual([
      'L010',
      'L011',
      'L012',
      'L013',
      'L014',
      'L015',
      'L016',
      'L017',
      'L018',
      'L019',
    ]);
    expect((await list(`q=${encodeURIComponent('L%_')}`)).items.map((p) => p.employeeNo)).toEqual(['L%_1']);
    expect((await list(`q=l02`)).total).toBe(6);
  });

  it('filters by department with everything below it, kind, status and role', async () => {
    expect((await list(`departmentId=${parentId}&pageSize=100`)).total).toBe(21);
    expect((await list(`departmentId=${wardId}&pageSize=100`)).total).toBe(11);
    expect((await list(`departmentId=${otherId}&kind=contractor`)).items.map((p) => p.name)).toEqual(['外包甲']);
    expect((await list(`campusId=${campusId}&status=left`)).items.map((p) => p.employeeNo)).toEqual(['LX01']);
    const cashiers = await list(`campusId=${campusId}&role=cashier`);
    expect(cashiers.items).toMatchObject([{ employeeNo: 'LX01', roles: ['cashier'] }]);
    expect((await list(`departmentId=987654`)).total).toBe(0);
  });

  it('sorts by name in pinyin order unless asked for employee numbers', async () => {
    const byName = (await list(`campusId=${campusId}&sort=name&pageSize=100`)).items.map((p) => p.name);
    expect((await list(`campusId=${campusId}&pageSize=100`)).items.map((p) => p.name)).toEqual(byName);
    // bai, chen, li, lin, wai: 离 (li) comes before 林 (lin), though not in the characters' byte order.
    expect([...new Set(byName.map((name) => name[0]))]).toEqual(['百', '陈', '离', '林', '外']);
  });

  it('refuses a page size over 100 and unknown filters', async () => {
    for (const query of ['pageSize=101', 'page=0', 'kind=doctor', 'colour=red', 'departmentId=abc']) {
      const res = await get().app.inject({ method: 'GET', url: `/api/people?${query}`, headers: { cookie } });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
  });
});

describeApp('colleague lookup for a transfer (GET /api/me/payees)', (get) => {
  let me: Awaited<ReturnType<typeof signIn>>;
  const lookup = (employeeNo: string, cookie: string | undefined = me.cookie) =>
    get().app.inject({
      method: 'GET',
      url: `/api/me/payees?employeeNo=${encodeURIComponent(employeeNo)}`,
      ...(cookie ? { headers: { cookie } } : {}),
    });

  beforeAll(async () => {
    me = await signIn(get(), ['staff'], { name: '王晓燕' });
  });

  it('finds an active colleague by exact employee number: id, masked name and department only', async () => {
    const db = get().database.db;
    const dept = await newDepartment(db, { name: '产一区' });
    const colleague = await newPerson(db, { employeeNo: 'PAY-001', name: '黄丽娟', departmentId: dept.id });
    const res = await lookup('PAY-001');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ personId: colleague.id, maskedName: '黄*娟', departmentName: '产一区' });
    const two = await newPerson(db, { employeeNo: 'PAY-002', name: '李娜' });
    expect((await lookup('PAY-002')).json()).toMatchObject({ personId: two.id, maskedName: '李*' });
  });

  it('refuses unknown, prefix, left, own and other-hospital employee numbers alike with 404 PAYEE_NOT_FOUND', async () => {
    const db = get().database.db;
    await newPerson(db, { employeeNo: 'PAY-100', name: '周芳' });
    const left = await newPerson(db, { employeeNo: 'PAY-LEFT', name: '离职者' });
    await db.updateTable('people').set({ status: 'left', leftOn: '2026-02-01' }).where('id', '=', left.id).execute();
    const other = await db
      .insertInto('hospitals')
      .values({ code: 'OTHER', name: '别的医院' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('people')
      .values({ hospitalId: other.id, employeeNo: 'PAY-OTHER', name: '外院人', departmentId: null, kind: 'staff' })
      .execute();
    for (const employeeNo of ['NOPE-1', 'PAY-10', 'pay-100', 'PAY-LEFT', me.person.employeeNo, 'PAY-OTHER']) {
      const res = await lookup(employeeNo);
      expect(res.statusCode, employeeNo).toBe(404);
      expect(res.json().code).toBe('PAYEE_NOT_FOUND');
    }
  });

  it('refuses a malformed or missing employee number with 400 and a request without a session with 401', async () => {
    for (const url of ['/api/me/payees', '/api/me/payees?employeeNo=', '/api/me/payees?employeeNo=%25']) {
      const res = await get().app.inject({ method: 'GET', url, headers: { cookie: me.cookie } });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
    const res = await lookup('PAY-100', '');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('UNAUTHENTICATED');
  });
});
