import type { Permission, Role } from '@canteen/server/api';
import type zhCN from './zh-CN.ts';

/** The shape every language file must have: zh-CN is the source of truth. */
export type MessageSchema = typeof zhCN;

// Every role and permission the server knows must have words in every language: these fail to
// compile when the server adds one that the messages do not name.
type PermissionNames = MessageSchema['role']['permissionNames'];
type Named<P extends string> = P extends `${infer G}.${infer A}`
  ? G extends keyof PermissionNames
    ? A extends keyof PermissionNames[G]
      ? true
      : false
    : false
  : false;
type UnnamedPermission = { [P in Permission]: Named<P> extends true ? never : P }[Permission];
const _everyPermissionNamed: [UnnamedPermission] extends [never] ? true : UnnamedPermission = true;
const _everyRoleNamed: Record<Role, unknown> = {} as MessageSchema['role']['names'];
