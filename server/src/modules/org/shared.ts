// What the org module's capability files (structure, people, roles) share: the tables they see, the
// transaction and calendar helpers, and the refusals more than one of them gives.
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { AuditTables } from '../../platform/audit.ts';
import { localDay, type Clock } from '../../platform/clock.ts';
import { invalid, conflict, type AppError } from '../../platform/errors.ts';
import * as q from './queries.ts';
import type { OrgTables } from './tables.ts';

/** The org module's tables, and the audit log it writes and shows. */
export type OrgDb = OrgTables & AuditTables;

/** The caller's transaction when it has one, else a new one. */
export function inTransaction<T>(db: Kysely<OrgDb>, trx: Tx | undefined, work: (trx: Tx) => Promise<T>): Promise<T> {
  return trx ? work(trx) : db.transaction().execute(work);
}

/** Today in the hospital's zone: the default leaving day. */
export async function hospitalToday(db: Tx | Kysely<OrgDb>, clock: Clock, hospitalId: number): Promise<string> {
  const hospital = await q.findHospital(db, hospitalId);
  return localDay(clock.now(), hospital?.timeZone ?? 'Asia/Shanghai');
}

/**
 * A calendar day as 'YYYY-MM-DD'. The database layer promises text, but PGlite opened in memory
 * ignores the custom type parsers and hands back a Date at UTC midnight; this keeps both the same.
 */
export function asDay(value: string | Date | null): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString().slice(0, 10) : value;
}

/** The Postgres constraint a unique violation names, or undefined for any other error. */
export function violatedUnique(error: unknown): string | undefined {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e && e.code === '23505' ? String(e.constraint ?? '') : undefined;
}

/**
 * For `.catch()`: a unique violation on a constraint naming `column` becomes `refusal`. The checks
 * before each write give the clear answer; this covers two requests racing past them together.
 */
export const unlessUnique =
  (column: string, refusal: AppError) =>
  (error: unknown): never => {
    if (violatedUnique(error)?.includes(column)) throw refusal;
    throw error;
  };

export const employeeNoTaken = (employeeNos: string[]): AppError =>
  conflict('EMPLOYEE_NO_TAKEN', `Employee number ${employeeNos.join(', ')} is already taken`, { employeeNos });

export const unknownDepartment = (id: number): AppError =>
  invalid('UNKNOWN_DEPARTMENT', `Department ${id} does not exist`, [
    { path: '/body/departmentId', message: 'no such department' },
  ]);

export const unknownRole = (role: string): AppError =>
  invalid('UNKNOWN_ROLE', `There is no role ${role}`, [{ path: '/body/roles', message: `unknown role ${role}` }]);
