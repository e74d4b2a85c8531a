import { describe, expect, it } from 'vitest';
import { ConfigError, SETTINGS, loadConfig } from './config.ts';

describe('configuration from the environment', () => {
  it('has a working default for every setting', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.timeZone).toBe('Asia/Shanghai');
    expect(config.devLogin).toBe(false);
  });

  it('reads each variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://canteen:secret@db.local:5432/canteen',
      CANTEEN_DEV_LOGIN: 'true',
      CANTEEN_TIME_ZONE: 'Asia/Urumqi',
    });
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', devLogin: true, timeZone: 'Asia/Urumqi' });
    expect(config.databaseUrl).toBe('postgres://canteen:secret@db.local:5432/canteen');
  });

  it.each([
    ['PORT', '70000', /PORT="70000" is not allowed: expected an integer from 1 to 65535/],
    ['PORT', 'abc', /PORT/],
    ['DATABASE_URL', 'mysql://x/y', /DATABASE_URL.*postgres:\/\//],
    ['DATABASE_URL', 'postgres://host-without-database', /DATABASE_URL/],
    ['CANTEEN_TIME_ZONE', 'Mars/Olympus', /CANTEEN_TIME_ZONE.*IANA/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL.*fatal, error/],
    ['CANTEEN_DEV_LOGIN', 'maybe', /CANTEEN_DEV_LOGIN.*true or false/],
  ])('stops on a bad %s with a message naming it and what is allowed', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('lists every problem at once, not one per restart', () => {
    try {
      loadConfig({ PORT: '0', LOG_LEVEL: 'x' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });

  it('documents each setting with a default and the values it allows', () => {
    for (const setting of SETTINGS) {
      expect(setting.env).toMatch(/^[A-Z_]+$/);
      expect(setting.allowed.length).toBeGreaterThan(3);
      expect(setting.description.length).toBeGreaterThan(10);
    }
  });
});

describe('README', () => {
  it('documents every setting with its default', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    for (const setting of SETTINGS) {
      const fallback = setting.fallback === '' ? '(empty)' : `\`${setting.fallback}\``;
      expect(readme).toContain(`| \`${setting.env}\` | ${fallback} | ${setting.allowed} |`);
    }
  });
});
