// Row types of sign-in's tables (migrations 0001_foundation.sql, 0007_security.sql, 0010_api_tokens.sql),
// as Kysely sees them.
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Id } from '../../db/tables.ts';

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

export interface ApiTokensTable {
  id: Id;
  hospitalId: number;
  name: string;
  prefix: string;
  secretHash: string;
  /** Permissions, written as a JSON array. */
  scopes: ColumnType<string[], string, never>;
  createdBy: number;
  createdAt: CreatedAt;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedBy: number | null;
}

export interface AuthTables {
  passwordLogins: PasswordLoginsTable;
  sessions: SessionsTable;
  apiTokens: ApiTokensTable;
}
