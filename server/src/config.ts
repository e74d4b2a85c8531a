import { isIP } from 'node:net';
import path from 'node:path';

/**
 * Every setting the server reads from its environment, parsed and checked once at start.
 * A bad value stops the start with a message that names the variable and what it accepts;
 * the README's configuration table documents the same list (config.test.ts keeps them in step).
 */
export interface Config {
  port: number;
  host: string;
  /** Unset: the embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  dbPoolSize: number;
  timeZone: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Load the demo hospital into an empty database at start. */
  demo: boolean;
  demoSeed: number;
  /** Staff may sign in by employee number alone: for trying the platform before WeCom is configured. */
  devLogin: boolean;
  /** The test payment channel (simulated online top-up) is enabled. Never in production. */
  testPayments: boolean;
  sessionTtlHours: number;
  bodyLimitBytes: number;
  cookieSecure: boolean;
  /** The origin people open the platform at; writes from any other origin are refused (CSRF). */
  publicOrigin: string | undefined;
  /** Pages that may embed the staff app /m besides its own origin (WeCom's desktop workbench). */
  frameAncestors: string[];
  /** Reverse proxies whose X-Forwarded-For names the client (rate limits count per client address). */
  trustProxy: string[];
  /** Where the built web app is; the server serves it at /admin and /m. */
  webDist: string;
}

interface Setting<K extends keyof Config> {
  key: K;
  env: string;
  fallback: string;
  allowed: string;
  description: string;
  parse: (raw: string) => Config[K] | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const integer =
  (min: number, max: number) =>
  (raw: string): number | undefined => {
    if (!/^\d+$/.test(raw)) return undefined;
    const n = Number(raw);
    return n >= min && n <= max ? n : undefined;
  };
const bool = (raw: string): boolean | undefined =>
  ({ true: true, '1': true, yes: true, on: true, false: false, '0': false, no: false, off: false })[raw.toLowerCase()];
const nonEmpty = (raw: string): string | undefined => (raw.trim() ? raw.trim() : undefined);

function timeZone(raw: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone: raw });
    return raw;
  } catch {
    return undefined;
  }
}

function postgresUrl(raw: string): string | undefined {
  if (raw === '') return undefined;
  try {
    const url = new URL(raw);
    return ['postgres:', 'postgresql:'].includes(url.protocol) && url.pathname.length > 1 ? raw : undefined;
  } catch {
    return undefined;
  }
}

/** scheme://host[:port] with nothing after it: what a browser sends in its Origin header. */
function origin(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    return ['http:', 'https:'].includes(url.protocol) && raw.replace(/\/$/, '') === url.origin ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

// A CSP host source, e.g. https://*.work.weixin.qq.com: no quotes, semicolons or paths, which
// would let a setting change the policy's meaning.
const HOST_SOURCE = /^https?:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/i;

function frameAncestors(raw: string): string[] | undefined {
  const sources = raw.split(/[\s,]+/).filter(Boolean);
  return sources.every((s) => HOST_SOURCE.test(s)) ? sources : undefined;
}

function trustedProxies(raw: string): string[] | undefined {
  if (raw.trim().toLowerCase() === 'false') return [];
  const entries = raw.split(',').map((e) => e.trim());
  const valid = (entry: string): boolean => {
    const [address = '', prefix, ...rest] = entry.split('/');
    const kind = isIP(address);
    if (!kind || rest.length) return false;
    if (prefix === undefined) return true;
    return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (kind === 4 ? 32 : 128);
  };
  return entries.length && entries.every(valid) ? entries : undefined;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// Each entry is one environment variable. Order is the order of the README table.
export const SETTINGS: { [K in keyof Config]: Setting<K> }[keyof Config][] = [
  {
    key: 'port',
    env: 'PORT',
    fallback: '3000',
    allowed: 'an integer from 1 to 65535',
    description: 'HTTP port to listen on',
    parse: integer(1, 65535),
  },
  {
    key: 'host',
    env: 'HOST',
    fallback: '127.0.0.1',
    allowed: 'an address or host name',
    description: 'Address to listen on; 0.0.0.0 to accept terminals on the LAN',
    parse: nonEmpty,
  },
  {
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    fallback: '',
    allowed: 'empty, or postgres://user:password@host:port/database',
    description: 'PostgreSQL server to use; empty runs the embedded PGlite in DATA_DIR',
    parse: (raw) => (raw === '' ? undefined : postgresUrl(raw)),
  },
  {
    key: 'dataDir',
    env: 'DATA_DIR',
    fallback: './data',
    allowed: "a folder path, or ':memory:'",
    description: 'Folder of the embedded database (ignored with DATABASE_URL)',
    parse: (raw) => (raw === ':memory:' ? raw : raw.trim() ? path.resolve(raw) : undefined),
  },
  {
    key: 'dbPoolSize',
    env: 'DB_POOL_SIZE',
    fallback: '10',
    allowed: 'an integer from 1 to 200',
    description: 'Connections to PostgreSQL per app instance',
    parse: integer(1, 200),
  },
  {
    key: 'timeZone',
    env: 'CANTEEN_TIME_ZONE',
    fallback: 'Asia/Shanghai',
    allowed: 'an IANA time zone, e.g. Asia/Shanghai',
    description: "The hospital's zone: business days, meal periods and cutoffs are in it",
    parse: timeZone,
  },
  {
    key: 'logLevel',
    env: 'LOG_LEVEL',
    fallback: 'info',
    allowed: LOG_LEVELS.join(', '),
    description: 'Log level of the JSON logs on stdout',
    parse: (raw) => LOG_LEVELS.find((l) => l === raw),
  },
  {
    key: 'demo',
    env: 'CANTEEN_DEMO',
    fallback: 'true',
    allowed: 'true or false',
    description: 'Load the demo hospital into an empty database at start (set false in production)',
    parse: bool,
  },
  {
    key: 'demoSeed',
    env: 'CANTEEN_DEMO_SEED',
    fallback: '20191201',
    allowed: 'an integer from 0 to 4294967295',
    description: 'Seed of the generated demo hospital: the same seed gives the same people',
    parse: integer(0, 4294967295),
  },
  {
    key: 'devLogin',
    env: 'CANTEEN_DEV_LOGIN',
    fallback: 'false',
    allowed: 'true or false',
    description: 'Let anyone sign in to /m as any person by employee number. Never in production',
    parse: bool,
  },
  {
    key: 'testPayments',
    env: 'CANTEEN_TEST_PAYMENTS',
    fallback: 'false',
    allowed: 'true or false',
    description: 'Enable the test payment channel: online top-up in /m with a simulated payer. Never in production',
    parse: bool,
  },
  {
    key: 'sessionTtlHours',
    env: 'SESSION_TTL_HOURS',
    fallback: '12',
    allowed: 'an integer from 1 to 720',
    description: 'How long a sign-in lasts',
    parse: integer(1, 720),
  },
  {
    key: 'bodyLimitBytes',
    env: 'BODY_LIMIT_BYTES',
    fallback: '1048576',
    allowed: 'an integer from 1024 to 104857600',
    description: 'Largest request body accepted (uploads have their own limit)',
    parse: integer(1024, 104_857_600),
  },
  {
    key: 'cookieSecure',
    env: 'COOKIE_SECURE',
    fallback: 'false',
    allowed: 'true or false',
    description: 'Mark the session cookie Secure and send HSTS (set true behind HTTPS)',
    parse: bool,
  },
  {
    key: 'publicOrigin',
    env: 'CANTEEN_PUBLIC_ORIGIN',
    fallback: '',
    allowed: 'empty, or an origin such as https://canteen.example.org',
    description: 'Where people open the platform; empty trusts the Host header. Writes from other origins are refused',
    parse: (raw) => (raw === '' ? undefined : origin(raw)),
  },
  {
    key: 'frameAncestors',
    env: 'CANTEEN_FRAME_ANCESTORS',
    fallback: 'https://*.work.weixin.qq.com',
    allowed: 'empty, or origins separated by spaces or commas (a host may begin with a wildcard)',
    description: "Pages that may embed the staff app /m besides its own (WeCom's workbench); /admin never",
    parse: frameAncestors,
  },
  {
    key: 'trustProxy',
    env: 'TRUST_PROXY',
    fallback: 'false',
    allowed: 'false, or proxy addresses or CIDR ranges separated by commas',
    description: 'Reverse proxies whose X-Forwarded-For names the client address (rate limits count per address)',
    parse: trustedProxies,
  },
  {
    key: 'webDist',
    env: 'WEB_DIST',
    fallback: 'web/dist',
    allowed: 'a folder path',
    description: 'Built web app served at /admin and /m',
    parse: (raw) => (raw.trim() ? path.resolve(raw) : undefined),
  },
];

// Settings whose empty value means "not set".
const OPTIONAL = new Set<keyof Config>(['databaseUrl', 'publicOrigin']);

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    const raw = env[setting.env];
    const value = setting.parse(raw ?? setting.fallback);
    if (value === undefined && !(OPTIONAL.has(setting.key) && (raw ?? '') === '')) {
      problems.push(`${setting.env}=${JSON.stringify(raw)} is not allowed: expected ${setting.allowed}`);
    }
    config[setting.key] = value;
  }
  if (problems.length) throw new ConfigError(problems);
  return config as unknown as Config;
}

/** Settings for tests and tools: defaults, an in-memory database, and the given overrides. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'silent', CANTEEN_DEMO: 'false' }),
    ...overrides,
  };
}
