import type { Db } from '../db/database.ts';

/** Who is acting and from where: passed from the route into every service method that changes data. */
export interface Actor {
  personId: number | null;
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
export async function recordAudit(db: Db, actor: Actor, record: AuditRecord): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({
      actorId: actor.personId,
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
