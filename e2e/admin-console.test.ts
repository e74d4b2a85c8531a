// Journeys through the admin console (/admin): sign in, create a department and a person in it,
// find them again; once in Chinese (the default) and once in English; and a wrong password.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, shoot, useJourney } from './harness.ts';
import { field, openDialog, pickDepartment, signInToConsole } from './pages.ts';

const journey = useJourney();

interface Labels {
  newDepartment: string;
  newPerson: string;
  departmentsMenu: string;
  peopleMenu: string;
}

const ZH: Labels = { newDepartment: '新建科室', newPerson: '新建人员', departmentsMenu: '科室', peopleMenu: '人员' };
const EN: Labels = {
  newDepartment: 'New department',
  newPerson: 'New person',
  departmentsMenu: 'Departments',
  peopleMenu: 'People',
};

async function createDepartment(page: Page, labels: Labels, dept: { name: string; code: string }): Promise<void> {
  await page.getByRole('menuitem', { name: labels.departmentsMenu, exact: true }).click();
  await page.waitForURL(/\/admin\/departments/);
  await page.locator('.el-table__row').first().waitFor();
  const dialog = await openDialog(page, page.getByTestId('department-create'), labels.newDepartment, 'department-name');
  // The cursor is already in the first field.
  await page.keyboard.type(dept.name);
  await field(page, 'department-code').fill(dept.code);
  await field(page, 'department-building').fill('门诊楼');
  await field(page, 'department-floor').fill('5');
  await field(page, 'department-floor').press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  await page.locator(`.department-row-${dept.code}`).waitFor();
  expect(await page.locator(`.department-row-${dept.code}`).innerText()).toContain(dept.name);
}

async function createPerson(
  page: Page,
  labels: Labels,
  person: { name: string; employeeNo: string; department: string },
): Promise<void> {
  await page.getByRole('menuitem', { name: labels.peopleMenu, exact: true }).click();
  await page.waitForURL(/\/admin\/people/);
  const dialog = await openDialog(page, page.getByTestId('person-create'), labels.newPerson, 'person-name');
  await field(page, 'person-name').fill(person.name);
  await field(page, 'person-employee-no').fill(person.employeeNo);
  await pickDepartment(page, 'person-department', person.department);
  await shoot(page, labels === ZH ? 'admin-person-dialog' : 'admin-person-dialog-en');
  await page.getByTestId('form-submit').click();
  await dialog.waitFor({ state: 'hidden' });
}

async function findPerson(page: Page, query: string, employeeNo: string): Promise<string> {
  // "/" jumps to the search box from anywhere on the page.
  // Click on the page's title (not the side menu, whose items move as the menu grows) to leave any field.
  await page.locator('.page-header h1').first().click();
  await page.keyboard.press('/');
  await page.keyboard.type(query);
  const row = page.locator(`.person-row-${employeeNo}`);
  await row.waitFor();
  await expect.poll(() => page.locator('.el-table__body .el-table__row').count()).toBe(1);
  return row.innerText();
}

describe('admin console', () => {
  it.each([
    { path: '/admin/', title: '智慧食堂 · 管理后台' },
    { path: '/m/', title: '智慧食堂' },
  ])('serves $path with a Chinese title before any script runs, a favicon, and no 404', async ({ path, title }) => {
    const page = await journey().newPage();
    const missing: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 404) missing.push(response.url());
    });
    // The page as it arrives, before Vue sets the title: what a slow WeCom web view shows first.
    const html = await (await page.request.get(path)).text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain(`<title>${title}</title>`);
    await page.goto(path);
    await page.waitForURL(/\/login/);
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(icon).toMatch(/^\/assets\/favicon-[\w-]+\.svg$/);
    const served = await page.request.get(icon ?? '');
    expect(served.status()).toBe(200);
    expect(served.headers()['content-type']).toContain('image/svg+xml');
    expect(missing).toEqual([]);
  });

  it('signs in as admin, creates a department and a person in it, and finds both', async () => {
    const page = await journey().newPage();
    await page.goto('/admin/');
    await page.waitForURL(/\/admin\/login/);
    await shoot(page, 'admin-login');
    await signInToConsole(page, 'admin', DEMO_PASSWORD);
    await page.waitForURL(/\/admin\/people/);
    await page.locator('.el-table__body .el-table__row').first().waitFor();
    expect(await page.getByTestId('side-menu').innerText()).toMatch(/人员[\s\S]*科室[\s\S]*院区[\s\S]*角色权限/);
    await shoot(page, 'admin-people');

    await createDepartment(page, ZH, { name: '临床营养科', code: 'E2EYYK' });
    await shoot(page, 'admin-departments');
    // Move it under 妇产科: it then shows one level down in the tree.
    await page.getByTestId('department-move-E2EYYK').click();
    const move = page.getByRole('dialog', { name: '移动「临床营养科」' });
    await move.waitFor();
    await pickDepartment(page, 'department-move-parent', '妇产科（FCK）');
    await move.getByTestId('form-submit').click();
    await move.waitFor({ state: 'hidden' });
    await page.locator('.department-row-E2EYYK.el-table__row--level-1').waitFor();

    await createPerson(page, ZH, { name: '测试员甲', employeeNo: 'E2E001', department: '临床营养科' });
    const byNumber = await findPerson(page, 'E2E001', 'E2E001');
    expect(byNumber).toContain('测试员甲');
    expect(byNumber).toContain('临床营养科');
    await field(page, 'people-search').fill('测试员甲');
    await expect.poll(() => page.locator('.el-table__body .el-table__row').count()).toBe(1);
    expect(await page.locator('.person-row-E2E001').innerText()).toContain('E2E001');
    // Initials of the name's pinyin find a colleague, as Chinese users type them: wxy is 王晓燕 (10008).
    await field(page, 'people-search').fill('wxy');
    await page.locator('.person-row-10008').waitFor();
    expect(await page.locator('.person-row-10008').innerText()).toContain('王晓燕');

    // The department's head count opens the people list filtered to it.
    await page.getByRole('menuitem', { name: '科室', exact: true }).click();
    await page.locator('.department-row-E2EYYK').getByRole('link', { name: '1' }).click();
    await page.waitForURL(/\/admin\/people\?campus=\d+&department=\d+/);
    await expect.poll(() => page.locator('.el-table__body .el-table__row').count()).toBe(1);
    expect(await field(page, 'people-search').inputValue()).toBe('');
    await page.locator('.person-row-E2E001').click();
    await page.waitForURL(/\/admin\/people\/\d+/);
    await page.getByTestId('person-info').waitFor();
    expect(await page.getByTestId('person-title').innerText()).toBe('测试员甲');
    expect(await page.getByTestId('person-info').innerText()).toContain('临床营养科');
    const edit = await openDialog(page, page.getByTestId('person-edit'), '编辑信息', 'person-name');
    await field(page, 'person-phone').fill('13800000000');
    await field(page, 'person-phone').press('Enter');
    await edit.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('person-info').innerText()).toContain('13800000000');
    expect(await page.getByTestId('person-info').innerText()).toContain('临床营养科');
    await page.getByTestId('role-staff').click();
    await page.getByTestId('role-cashier').click();
    await page.getByTestId('roles-save').click();
    await page.getByText('角色已保存').waitFor();
    await page.getByTestId('person-mark-left').click();
    await page.locator('.el-message-box').getByRole('button', { name: '办理离职' }).click();
    await page.getByTestId('person-reactivate').waitFor();
    await page.getByTestId('person-history').getByText('办理离职').waitFor();
    expect(await page.getByTestId('person-history').innerText()).toContain('调整角色');
    await shoot(page, 'admin-person-detail');
    const roles = await page.request.get(page.url().replace('/admin/people/', '/api/people/'));
    expect(((await roles.json()) as { roles: string[] }).roles.sort()).toEqual(['cashier', 'staff']);

    await page.getByRole('menuitem', { name: '院区', exact: true }).click();
    await page.locator('[data-testid="campus-table"] .el-table__row').first().waitFor();
    await shoot(page, 'admin-campuses');
    await page.getByRole('menuitem', { name: '角色权限', exact: true }).click();
    await page.locator('[data-testid="role-table"] .el-table__row').first().waitFor();
    expect(await page.getByTestId('role-table').innerText()).toContain('分配角色');
    await shoot(page, 'admin-roles');
  });

  it('does the same journey in English, and the choice survives a reload', async () => {
    const page = await journey().newPage();
    await page.goto('/admin/login');
    await page.getByTestId('language-switch').getByText('English').click();
    await page.getByRole('heading', { name: 'Console sign-in' }).waitFor();
    expect(await page.getByTestId('login-submit').innerText()).toBe('Sign in');
    await signInToConsole(page, 'admin', DEMO_PASSWORD);
    await page.waitForURL(/\/admin\/people/);
    await page.locator('.el-table__body .el-table__row').first().waitFor();
    expect(await page.getByTestId('side-menu').innerText()).toMatch(/People[\s\S]*Departments[\s\S]*Campuses/);
    expect(await page.getByTestId('people-table').innerText()).toContain('Employee no.');
    await shoot(page, 'admin-people-en');

    await createDepartment(page, EN, { name: 'Dietetics', code: 'E2EDIET' });
    expect(await page.getByTestId('department-table').innerText()).toContain('Building');
    await createPerson(page, EN, { name: 'Alice Zhang', employeeNo: 'E2E002', department: 'Dietetics' });
    const row = await findPerson(page, 'alice', 'E2E002');
    expect(row).toContain('Dietetics');
    expect(row).toContain('Staff');
    expect(row).toContain('Active');

    // A taken employee number is refused, and the message sits on that field.
    const dialog = await openDialog(page, page.getByTestId('person-create'), 'New person', 'person-name');
    await field(page, 'person-name').fill('Duplicate');
    await field(page, 'person-employee-no').fill('10001');
    await field(page, 'person-employee-no').press('Enter');
    const employeeNoItem = dialog.locator('.el-form-item', { has: field(page, 'person-employee-no') });
    await employeeNoItem.locator('.el-form-item__error').waitFor();
    expect(await employeeNoItem.locator('.el-form-item__error').innerText()).toBe(
      'This employee number is already taken',
    );
    await shoot(page, 'admin-person-duplicate-en');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.reload();
    await page.getByRole('menuitem', { name: 'People', exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  it('shows a wrong password as a translated message, in Chinese and in English, and slows guessing without locking', async () => {
    const page = await journey().newPage();
    await page.goto('/admin/login');
    /** Signs in with the keyboard and returns the status the server answered. */
    const attempt = async (password: string): Promise<number> => {
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
      await signInToConsole(page, 'finance', password);
      return (await answered).status();
    };
    expect(await attempt('not-the-password')).toBe(401);
    const error = page.getByTestId('login-error');
    await error.waitFor();
    // The same words whether or not the name exists: no count of tries left.
    expect(await error.innerText()).toContain('用户名或密码错误');
    expect(await error.innerText()).not.toContain('还可尝试');
    await shoot(page, 'admin-login-error');

    await page.getByTestId('language-switch').getByText('English').click();
    expect(await attempt('still-wrong')).toBe(401);
    await expect.poll(() => error.innerText()).toContain('Wrong username or password');
    expect(page.url()).toContain('/admin/login');

    // Past five wrong passwords the next try has to wait a moment; the login itself never locks.
    for (let i = 0; i < 3; i++) expect(await attempt(`wrong-again-${i}`)).toBe(401);
    expect(await attempt(DEMO_PASSWORD)).toBe(429);
    await expect.poll(() => error.innerText()).toMatch(/Too many attempts: try again in \d+ seconds?/);
    await shoot(page, 'admin-login-wait-en');
    await page.waitForTimeout(1100);
    expect(await attempt(DEMO_PASSWORD)).toBe(200);
    await page.waitForURL((url) => !url.pathname.endsWith('/login'));
  });

  it('shows each person only the pages their roles allow, and turns away staff without console duties', async () => {
    const page = await journey().newPage();
    await page.goto('/admin/login');
    await signInToConsole(page, 'kitchen', DEMO_PASSWORD);
    await page.waitForURL(/\/admin\/departments/);
    expect((await page.getByTestId('side-menu').innerText()).split(/\s+/).filter(Boolean)).toEqual(['科室', '院区']);
    expect(await page.getByTestId('department-create').count()).toBe(0);
    // Typing the address of a page they may not open lands them on one they may.
    await page.goto('/admin/people');
    await page.waitForURL(/\/admin\/departments/);
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/admin\/login/);

    await signInToConsole(page, 'staff', DEMO_PASSWORD);
    await page.getByTestId('login-error').waitFor();
    expect(await page.getByTestId('login-error').innerText()).toContain('这个账号没有管理后台的权限');
    expect(page.url()).toContain('/admin/login');
  });

  it('creates a campus', async () => {
    const page = await journey().newPage();
    await page.goto('/admin/campuses');
    await signInToConsole(page, 'admin', DEMO_PASSWORD);
    await page.waitForURL(/\/admin\/campuses/);
    const dialog = await openDialog(page, page.getByTestId('campus-create'), '新建院区', 'campus-name');
    await page.keyboard.type('东湖院区');
    await field(page, 'campus-code').fill('E2EDH');
    await field(page, 'campus-address').fill('临江市东湖路 1 号');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('campus-table').getByText('东湖院区').waitFor();
    expect(await page.getByTestId('campus-table').innerText()).toContain('E2EDH');
  });
});
