// The roles people hold (what each role may do lives in platform/auth/permissions.ts). One rule guards
// them all: the hospital always keeps an active administrator.
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { recordAudit, type Actor } from '../../platform/audit.ts';
import { ROLES, isRole, permissionsOf } from '../../platform/auth/permissions.ts';
import { conflict, notFound, type AppError } from '../../platform/errors.ts';
import * as q from './queries.ts';
import type { PersonRoles, RoleSummary } from './schema.ts';
import { unknownRole, type OrgDb } from './shared.ts';

export class OrgRoles {
  constructor(private readonly db: Kysely<OrgDb>) {}

  async listRoles(hospitalId: number): Promise<RoleSummary[]> {
    const counts = new Map((await q.roleHolderCounts(this.db, hospitalId)).map((r) => [r.code, Number(r.holders)]));
    return ROLES.map((code) => ({ code, permissions: permissionsOf([code]), holders: counts.get(code) ?? 0 }));
  }

  /** Replaces the roles a person holds. Refuses to take the last active admin's admin role away. */
  async assignRoles(hospitalId: number, personId: number, roles: string[], actor: Actor): Promise<PersonRoles> {
    const unknown = roles.find((r) => !isRole(r));
    if (unknown !== undefined) throw unknownRole(unknown);
    const wanted = ROLES.filter((r) => roles.includes(r));
    return this.db.transaction().execute(async (trx) => {
      // Role changes of a hospital queue behind each other, so two requests cannot each remove "the other" admin.
      await q.lockHospital(trx, hospitalId);
      const person = await q.findPersonForUpdate(trx, hospitalId, personId);
      if (!person) throw notFound('person', personId);
      const before = await q.rolesOf(trx, personId);
      const removed = before.filter((r) => !(wanted as string[]).includes(r));
      const added = wanted.filter((r) => !before.includes(r));
      if (removed.includes('admin') && (await q.countOtherActiveHolders(trx, hospitalId, 'admin', personId)) === 0) {
        throw lastAdmin();
      }
      await q.revokeRoles(trx, personId, removed);
      await q.insertRoleGrants(
        trx,
        added.map((roleCode) => ({ personId, roleCode, grantedBy: actor.personId })),
      );
      const after = await q.rolesOf(trx, personId);
      await recordAudit(trx, actor, {
        action: 'person.roles',
        entity: 'person',
        entityId: personId,
        before: { roles: before },
        after: { roles: after },
      });
      return { personId, roles: after };
    });
  }
}

/** Nobody could manage people or roles any more: someone else must hold admin before this person leaves. */
export async function refuseLastAdminLeaving(trx: Tx, hospitalId: number, personId: number): Promise<void> {
  if (!(await q.rolesOf(trx, personId)).includes('admin')) return;
  await q.lockHospital(trx, hospitalId);
  if ((await q.countOtherActiveHolders(trx, hospitalId, 'admin', personId)) === 0) throw lastAdmin();
}

const lastAdmin = (): AppError =>
  conflict('LAST_ADMIN', 'This is the last administrator: give the admin role to someone else first');
