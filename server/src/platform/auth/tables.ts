// Row types of sign-in's tables (migrations 0001_foundation.sql, 0007_security.sql), as Kysely sees them.
import type { Generated } from 'kysely';
import type { CreatedAt } from '../../db/tables.ts';

export interface PasswordLoginsTable {
  personId: number;
  username: string;
  passwordHash: string;
  passwordChangedAt: Generated<Date>;
}

export type SessionMethod = 'password' | 'dev' | 'wecom';

export interface SessionsTable {
  tokenHash: string;
  personId: number;
  method: SessionMethod;
  createdAt: CreatedAt;
  lastSeenAt: Generated<Date>;
  expiresAt: Date;
  ip: Generated<string>;
  userAgent: Generated<string>;
}

export interface AuthTables {
  passwordLogins: PasswordLoginsTable;
  sessions: SessionsTable;
}
