import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { Clock } from '../clock.ts';
import { AppError, unauthenticated } from '../errors.ts';
import { RateLimiter, type Attempt, type RateLimitTables } from '../rate-limit.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { permissionsOf, type Permission } from './permissions.ts';
import * as q from './queries.ts';
import type { AuthTables, SessionMethod } from './tables.ts';

/** A signed-in person: the cookie's session. */
export interface PersonPrincipal {
  kind: 'person';
  personId: number;
  hospitalId: number;
  name: string;
  employeeNo: string;
  roles: string[];
  permissions: Permission[];
  method: SessionMethod;
}

/** An integration calling with an API token: a principal of its own, never a person (api-tokens.ts). */
export interface TokenPrincipal {
  kind: 'token';
  tokenId: number;
  hospitalId: number;
  /** The token's name, as the administrator gave it. */
  name: string;
  /** Its scopes. */
  permissions: Permission[];
}

/** Whoever a request acts for. Routes that act for "me" take a person only (http.ts: personOf). */
export type Principal = PersonPrincipal | TokenPrincipal;

export interface NewSession {
  token: string;
  expiresAt: Date;
  principal: PersonPrincipal;
}

/**
 * Who people are, as sign-in needs to know them (the org module's directory answers; platform code names
 * no module, so this is the shape it asks for).
 */
export interface IdentityDirectory {
  identity(
    personId: number,
  ): Promise<
    | { personId: number; hospitalId: number; name: string; employeeNo: string; status: string; roles: string[] }
    | undefined
  >;
  /** The person holding an employee number, for development sign-in. */
  personByEmployeeNo(employeeNo: string): Promise<{ id: number; status: string } | undefined>;
}

export interface ClientInfo {
  ip: string;
  userAgent: string;
}

// A fixed hash to check against when the username is unknown, so the answer takes as long
// as for a real user and does not tell an attacker which usernames exist.
const DECOY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

// Session tokens are 32 random bytes: a plain SHA-256 is enough (api-tokens.ts explains, for API tokens).
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url');

export class AuthService {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly db: Kysely<AuthTables & RateLimitTables>,
    private readonly config: Config,
    private readonly clock: Clock,
    private readonly people: IdentityDirectory,
  ) {
    this.limiter = new RateLimiter(db, clock);
  }

  /**
   * Signs in with a password. An unknown user name and a wrong password get the same answer, after the
   * same work (one lookup, one scrypt: against a decoy hash when the name is unknown), so neither the
   * reply nor its timing tells which names exist. Attempts are rate limited per name and per address
   * with growing delays (429 TOO_MANY_ATTEMPTS), never by locking the account: a guesser cannot lock
   * the administrator out.
   */
  async loginWithPassword(username: string, password: string, client: ClientInfo): Promise<NewSession> {
    const name = username.trim();
    const account: Attempt = { bucket: 'login.account', key: name.toLowerCase() };
    const address: Attempt = { bucket: 'login.address', key: client.ip };
    await this.limiter.claim([account, address]);
    const login = await q.findLoginByUsername(this.db, name);
    const matches = await verifyPassword(password, login?.passwordHash ?? DECOY_HASH);
    if (!login || !matches) throw new AppError('INVALID_CREDENTIALS', 401, 'Wrong username or password');
    await this.limiter.reset(account);
    await this.limiter.refund([address]);
    if ((await this.people.identity(login.personId))?.status !== 'active')
      throw new AppError('PERSON_INACTIVE', 403, 'This person has left and cannot sign in');
    return this.openSession(login.personId, 'password', client);
  }

  /** Sign-in by employee number alone, for trying the staff app before WeCom is set up. Off by default. */
  async loginForDevelopment(employeeNo: string, client: ClientInfo): Promise<NewSession> {
    if (!this.config.devLogin) {
      throw new AppError('DEV_LOGIN_DISABLED', 403, 'Development sign-in is off (CANTEEN_DEV_LOGIN)');
    }
    const person = await this.people.personByEmployeeNo(employeeNo.trim());
    if (!person) throw new AppError('INVALID_CREDENTIALS', 401, `No person has employee number ${employeeNo}`);
    if (person.status !== 'active')
      throw new AppError('PERSON_INACTIVE', 403, 'This person has left and cannot sign in');
    return this.openSession(person.id, 'dev', client);
  }

  async openSession(personId: number, method: SessionMethod, client: ClientInfo): Promise<NewSession> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + this.config.sessionTtlHours * 3_600_000);
    await q.insertSession(this.db, {
      tokenHash: tokenHash(token),
      personId,
      method,
      expiresAt,
      ip: client.ip,
      userAgent: client.userAgent.slice(0, 512),
    });
    const principal = await this.principalFor(token);
    if (!principal) throw unauthenticated();
    return { token, expiresAt, principal };
  }

  /** The signed-in person behind a session token, or null if the token is unknown, expired, or the person left. */
  async principalFor(token: string): Promise<PersonPrincipal | null> {
    const session = await q.findSession(this.db, tokenHash(token), this.clock.now());
    const who = session && (await this.people.identity(session.personId));
    if (!session || who?.status !== 'active') return null;
    return {
      kind: 'person',
      personId: who.personId,
      hospitalId: who.hospitalId,
      name: who.name,
      employeeNo: who.employeeNo,
      roles: who.roles,
      permissions: permissionsOf(who.roles),
      method: session.method,
    };
  }

  async logout(token: string): Promise<void> {
    await q.deleteSession(this.db, tokenHash(token));
  }

  async setPassword(personId: number, username: string, password: string): Promise<void> {
    await q.upsertPasswordLogin(this.db, personId, username, await hashPassword(password));
  }

  /** Rate-limit counts that hold nobody back any more; the scheduler runs it hourly. */
  async purgeRateLimits(): Promise<number> {
    return this.limiter.purge();
  }

  async purgeExpiredSessions(): Promise<number> {
    const result = await q.deleteExpiredSessions(this.db, this.clock.now());
    return Number(result.numDeletedRows);
  }
}
