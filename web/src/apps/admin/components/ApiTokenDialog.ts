import type { CreatedApiToken, NewApiToken, Permission } from '@canteen/server/api';

export interface ApiTokenDialogProps {
  /** The scopes this administrator may grant: what a token may hold and they hold themselves. */
  grantable: Permission[];
  /** The token just created, whose secret the dialog shows once; null while the form is filled in. */
  created: CreatedApiToken | null;
  error?: string;
  fieldErrors?: Record<string, string>;
  busy?: boolean;
}

export interface ApiTokenDialogEmits {
  (e: 'create', body: NewApiToken): void;
}
