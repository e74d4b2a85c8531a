import type { ColumnType, Generated } from 'kysely';
import type { Db } from '../db/database.ts';
import type { CreatedAt, Id } from '../db/tables.ts';

/** Every change a person makes, with before and after (migration 0001_foundation.sql). */
export interface AuditLogTable {
  id: Id;
  at: CreatedAt;
  actorId: number | null;
  /** The API token that made the change, when an integration did (0010_api_tokens.sql). */
  apiTokenId: ColumnType<number | null, number | null | undefined, never>;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
  requestId: Generated<string>;
  ip: Generated<string>;
}

export interface AuditTables {
  auditLog: AuditLogTable;
}

/** Who is acting and from where: passed from the route into every service method that changes data. */
export interface Actor {
  /** The person acting; null for the system and for an integration. */
  personId: number | null;
  /** The integration's API token, when one is acting. */
  apiTokenId?: number | null | undefined;
  requestId: string;
  ip: string;
}

export const systemActor: Actor = { personId: null, requestId: 'system', ip: '' };

export interface AuditRecord {
  action: string;
  entity: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
}

/** Call inside the transaction that makes the change, so the record and the change land together. */
export async function recordAudit(db: Db<AuditTables>, actor: Actor, record: AuditRecord): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({
      actorId: actor.personId,
      apiTokenId: actor.apiTokenId ?? null,
      action: record.action,
      entity: record.entity,
      entityId: String(record.entityId),
      before: record.before === undefined ? null : JSON.stringify(record.before),
      after: record.after === undefined ? null : JSON.stringify(record.after),
      requestId: actor.requestId,
      ip: actor.ip,
    })
    .execute();
}
