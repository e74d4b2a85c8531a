// API tokens (issue 7): integrations (HR sync, reporting, the hospital's data platform) call the API as
// themselves, with a bearer token an administrator created for them, never with a person's cookie.
//
// The secret is 32 random bytes (256 bits). It is stored as its SHA-256 only, not with scrypt like a
// password: a slow hash protects guessable secrets from a stolen database, and nobody can enumerate
// 2^256 candidates however fast the hash is. A fast hash also lets every request find its token with
// one indexed lookup, with no per-request CPU cost to exhaust.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAudit, type Actor, type AuditTables } from '../audit.ts';
import { iso, type Clock } from '../clock.ts';
import { AppError, forbidden, invalid, notFound } from '../errors.ts';
import { TOKEN_SCOPES, type Permission } from './permissions.ts';
import * as q from './queries.ts';
import type { ApiTokenView, NewApiToken } from './schema.ts';
import { tokenHash, type IdentityDirectory, type PersonPrincipal, type TokenPrincipal } from './service.ts';
import type { AuthTables } from './tables.ts';

/** What every secret starts with, so a leaked one is recognisable (secret scanners, logs). */
const SECRET_PREFIX = 'cnt_';
/** How much of the secret the console shows to tell tokens apart: the marker and 8 characters. */
const SHOWN_PREFIX_LENGTH = SECRET_PREFIX.length + 8;
/** Last use is written at most this often per token: a busy integration costs no write per call. */
const LAST_USE_RESOLUTION_MS = 60_000;

const invalidToken = (code: string, message: string): AppError =>
  new AppError(code, 401, message, {}, { 'www-authenticate': 'Bearer error="invalid_token"' });

/** A route acts for the person calling it ("my wallet"); an integration is nobody's wallet. */
export const notAPerson = (): AppError =>
  new AppError('API_TOKEN_NOT_A_PERSON', 403, 'This route acts for a signed-in person; an API token cannot call it');

export class ApiTokensService {
  constructor(
    private readonly db: Kysely<AuthTables & AuditTables>,
    private readonly clock: Clock,
    private readonly people: IdentityDirectory,
  ) {}

  /**
   * Creates a token for the administrator's hospital. Its scopes are permissions the administrator holds
   * and that a token may hold (TOKEN_SCOPES): nobody hands out more than they have. The secret is in the
   * answer and nowhere else, ever.
   */
  /** Token names by id: the audit history names the integration that made a change. */
  async names(ids: number[]): Promise<Map<number, string>> {
    const rows = await q.apiTokenNames(this.db, [...new Set(ids)]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async create(
    creator: PersonPrincipal,
    input: NewApiToken,
    actor: Actor,
  ): Promise<{ token: ApiTokenView; secret: string }> {
    const name = input.name.trim();
    if (!name) throw invalid('VALIDATION_FAILED', 'Name the token', [{ path: '/name', message: 'is empty' }]);
    const scopes = [...new Set(input.scopes)];
    const notGrantable = scopes.filter((s) => !(TOKEN_SCOPES as readonly string[]).includes(s));
    if (notGrantable.length) {
      throw invalid('SCOPE_NOT_GRANTABLE', `An API token cannot be granted ${notGrantable.join(', ')}`, [
        { path: '/scopes', message: `not for API tokens: ${notGrantable.join(', ')}` },
      ]);
    }
    const held: readonly string[] = creator.permissions;
    const notHeld = scopes.filter((s) => !held.includes(s));
    if (notHeld.length) throw forbidden(`You cannot grant what you do not hold: ${notHeld.join(', ')}`);
    const now = this.clock.now();
    const expiresAt = input.expiresAt === undefined ? null : new Date(input.expiresAt);
    if (expiresAt && expiresAt <= now) {
      throw invalid('EXPIRY_IN_PAST', 'The expiry must be in the future', [
        { path: '/expiresAt', message: 'is not in the future' },
      ]);
    }
    const secret = SECRET_PREFIX + randomBytes(32).toString('base64url');
    const prefix = secret.slice(0, SHOWN_PREFIX_LENGTH);
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await q.insertApiToken(trx, {
        hospitalId: creator.hospitalId,
        name,
        prefix,
        secretHash: tokenHash(secret),
        scopes: JSON.stringify(scopes),
        createdBy: creator.personId,
        expiresAt,
      });
      await recordAudit(trx, actor, {
        action: 'api_token.create',
        entity: 'api_token',
        entityId: row.id,
        after: { name, prefix, scopes, expiresAt: expiresAt && iso(expiresAt) },
      });
      return row.id;
    });
    return { token: await this.get(creator.hospitalId, id), secret };
  }

  /** The hospital's tokens, newest first, revoked ones included (they explain past audit entries). */
  async list(hospitalId: number): Promise<ApiTokenView[]> {
    const rows = await q.listApiTokens(this.db, hospitalId);
    const names = await this.creatorNames(rows.map((r) => r.createdBy));
    return rows.map((r) => toView(r, names));
  }

  async get(hospitalId: number, id: number): Promise<ApiTokenView> {
    const row = await q.findApiToken(this.db, hospitalId, id);
    if (!row) throw notFound('api token', id);
    return toView(row, await this.creatorNames([row.createdBy]));
  }

  /** Revokes a token at once: its next call is 401 API_TOKEN_REVOKED. Revoking twice is 409. */
  async revoke(admin: PersonPrincipal, id: number, actor: Actor): Promise<ApiTokenView> {
    await this.db.transaction().execute(async (trx) => {
      const revoked = await q.revokeApiToken(trx, admin.hospitalId, id, admin.personId, this.clock.now());
      if (!revoked) {
        if (!(await q.findApiToken(trx, admin.hospitalId, id))) throw notFound('api token', id);
        throw new AppError('API_TOKEN_ALREADY_REVOKED', 409, 'This API token is revoked already');
      }
      await recordAudit(trx, actor, { action: 'api_token.revoke', entity: 'api_token', entityId: id });
    });
    return this.get(admin.hospitalId, id);
  }

  /**
   * The principal behind a bearer secret, or 401 with the reason: unknown, revoked or expired. Telling
   * them apart helps whoever runs the integration and tells a guesser nothing (a guess is unknown).
   */
  async authenticate(secret: string): Promise<TokenPrincipal> {
    const row = await q.findApiTokenBySecretHash(this.db, tokenHash(secret));
    if (!row) throw invalidToken('API_TOKEN_INVALID', 'This API token does not exist');
    if (row.revokedAt) throw invalidToken('API_TOKEN_REVOKED', 'This API token was revoked');
    const now = this.clock.now();
    if (row.expiresAt && row.expiresAt <= now) throw invalidToken('API_TOKEN_EXPIRED', 'This API token has expired');
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USE_RESOLUTION_MS) {
      await q.touchApiToken(this.db, row.id, now, new Date(now.getTime() - LAST_USE_RESOLUTION_MS));
    }
    return {
      kind: 'token',
      tokenId: row.id,
      hospitalId: row.hospitalId,
      name: row.name,
      permissions: row.scopes.filter((s): s is Permission => (TOKEN_SCOPES as readonly string[]).includes(s)),
    };
  }

  /**
   * Every call an integration makes is in the audit log, allowed or refused, written before the route
   * runs: one insert per call, the price of knowing what each integration did (changes it makes are
   * audited again, with before and after, naming the token).
   */
  async recordCall(actor: Actor, call: { method: string; route: string; allowed: boolean }): Promise<void> {
    await recordAudit(this.db, actor, {
      action: call.allowed ? 'api_token.call' : 'api_token.refused',
      entity: 'api_token',
      entityId: actor.apiTokenId ?? 0,
      after: { method: call.method, route: call.route },
    });
  }

  private async creatorNames(ids: number[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids)];
    const found = await Promise.all(
      unique.map(async (id) => [id, (await this.people.identity(id))?.name ?? ''] as const),
    );
    return new Map(found);
  }
}

function toView(row: Awaited<ReturnType<typeof q.listApiTokens>>[number], names: Map<number, string>): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdBy: { personId: row.createdBy, name: names.get(row.createdBy) ?? '' },
    createdAt: iso(row.createdAt),
    expiresAt: row.expiresAt && iso(row.expiresAt),
    lastUsedAt: row.lastUsedAt && iso(row.lastUsedAt),
    revokedAt: row.revokedAt && iso(row.revokedAt),
  };
}
