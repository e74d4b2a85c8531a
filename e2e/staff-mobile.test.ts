// The staff app (/m) at the size of a phone in WeCom's web view: sign in, see who and where you are.
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, shoot, useJourney } from './harness.ts';
import { field } from './pages.ts';

const journey = useJourney();
const PHONE = { width: 375, height: 667, mobile: true };

describe('staff mobile app', () => {
  it('signs in as the demo staff member and shows name, employee number and department', async () => {
    const page = await journey().newPage(PHONE);
    await page.goto('/m/');
    await page.waitForURL(/\/m\/login/);
    // The server runs with development sign-in on, so the employee-number form is offered too.
    await page.getByTestId('dev-login-form').waitFor();
    await shoot(page, 'm-login');

    await field(page, 'login-username').fill('staff');
    await field(page, 'login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => url.pathname === '/m/');
    await page.getByTestId('profile-name').waitFor();

    const profile = (await (await page.request.get('/api/me/profile')).json()) as {
      name: string;
      employeeNo: string;
      department: { name: string } | null;
      campus: { name: string } | null;
    };
    expect(profile.name).toBe('王晓燕');
    expect(await page.getByTestId('profile-name').innerText()).toContain('王晓燕');
    expect(await page.getByTestId('profile-employee-no').innerText()).toContain(profile.employeeNo);
    expect(await page.getByTestId('profile-department').innerText()).toBe(profile.department?.name);
    const details = await page.getByTestId('profile-details').innerText();
    expect(details).toContain(profile.campus?.name);
    // Nothing sticks out sideways at 375 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shoot(page, 'm-home');

    await page.getByTestId('language-en').click();
    await page.getByText('My details').waitFor();
    expect(await page.getByTestId('profile-name').innerText()).toContain('Hello, 王晓燕');
    await shoot(page, 'm-home-en');

    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/m\/login/);
    expect(await page.getByTestId('login-submit').innerText()).toBe('Sign in');
  });

  it('tells a wrong password in the chosen language', async () => {
    const page = await journey().newPage(PHONE);
    await page.goto('/m/login');
    await field(page, 'login-username').fill('staff');
    await field(page, 'login-password').fill('wrong');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    expect(await page.getByTestId('login-error').innerText()).toContain('用户名或密码错误');
    await shoot(page, 'm-login-error');
  });

  it('signs in by employee number where development sign-in is on', async () => {
    const page = await journey().newPage(PHONE);
    await page.goto('/m/login');
    await field(page, 'dev-login-employee-no').fill('10001');
    await field(page, 'dev-login-employee-no').press('Enter');
    await page.getByTestId('profile-name').waitFor();
    expect(await page.getByTestId('profile-name').innerText()).toContain('林志远');
  });
});
