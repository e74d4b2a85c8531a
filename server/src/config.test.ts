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

  it('reads the security settings: public origin, framing origins and trusted proxies', () => {
    expect(loadConfig({})).toMatchObject({
      publicOrigin: undefined,
      frameAncestors: ['https://*.work.weixin.qq.com'],
      trustProxy: [],
    });
    expect(
      loadConfig({
        CANTEEN_PUBLIC_ORIGIN: 'https://canteen.example.org/',
        CANTEEN_FRAME_ANCESTORS: 'https://*.work.weixin.qq.com, https://portal.example.org:8443',
        TRUST_PROXY: '127.0.0.1, 10.0.0.0/8, ::1',
      }),
    ).toMatchObject({
      publicOrigin: 'https://canteen.example.org',
      frameAncestors: ['https://*.work.weixin.qq.com', 'https://portal.example.org:8443'],
      trustProxy: ['127.0.0.1', '10.0.0.0/8', '::1'],
    });
    expect(loadConfig({ CANTEEN_FRAME_ANCESTORS: '' }).frameAncestors).toEqual([]);
  });

  it.each([
    ['PORT', '70000', /PORT="70000" is not allowed: expected an integer from 1 to 65535/],
    ['PORT', 'abc', /PORT/],
    ['DATABASE_URL', 'mysql://x/y', /DATABASE_URL.*postgres:\/\//],
    ['DATABASE_URL', 'postgres://host-without-database', /DATABASE_URL/],
    ['CANTEEN_TIME_ZONE', 'Mars/Olympus', /CANTEEN_TIME_ZONE.*IANA/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL.*fatal, error/],
    ['CANTEEN_DEV_LOGIN', 'maybe', /CANTEEN_DEV_LOGIN.*true or false/],
    ['CANTEEN_PUBLIC_ORIGIN', 'https://canteen.example.org/admin', /CANTEEN_PUBLIC_ORIGIN.*an origin/],
    ['CANTEEN_FRAME_ANCESTORS', "https://a.example; script-src 'unsafe-inline'", /CANTEEN_FRAME_ANCESTORS/],
    ['CANTEEN_FRAME_ANCESTORS', '*', /CANTEEN_FRAME_ANCESTORS/],
    ['TRUST_PROXY', 'true', /TRUST_PROXY.*CIDR/],
    ['TRUST_PROXY', '10.0.0.0/33', /TRUST_PROXY/],
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
