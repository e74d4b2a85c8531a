// The fixed vocabularies of the organisation model, in the order the console lists them. They mirror
// the server's enums (server/src/modules/org/schema.ts): each Record must name every member of the
// server's type and nothing else, so the type check fails when the server adds or drops one.
import type { Department, PersonDetail, Role } from '@canteen/server/api';

const listOf = <K extends string>(members: Record<K, true>): readonly K[] => Object.keys(members) as K[];

export const DEPARTMENT_KINDS = listOf<Department['kind']>({
  clinical: true,
  ward: true,
  medical_technology: true,
  administrative: true,
  logistics: true,
});
export const PERSON_KINDS = listOf<PersonDetail['kind']>({
  staff: true,
  patient_family: true,
  contractor: true,
  visitor: true,
});
export const PERSON_STATUSES = listOf<PersonDetail['status']>({ active: true, left: true });
export const ROLES = listOf<Role>({
  staff: true,
  cashier: true,
  kitchen: true,
  delivery: true,
  finance: true,
  canteen_manager: true,
  admin: true,
  auditor: true,
});
