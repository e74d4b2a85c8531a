/**
 * What each role may do. Roles are stored per person; permissions are decided here, in code,
 * so every server checks the same thing and a review shows any change to who may do what.
 */
export const ROLES = [
  'staff',
  'cashier',
  'kitchen',
  'delivery',
  'finance',
  'canteen_manager',
  'admin',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'org.read', // campuses and departments
  'org.write',
  'people.read',
  'people.write',
  'roles.assign',
  'audit.read',
  'accounts.read', // anyone's balances, statements and cards
  'accounts.manage', // issue/replace/return cards, reset PINs, freeze
  'topup.cash', // take cash at a counter
  'subsidy.manage', // import and grant monthly subsidies
  'withdrawal.approve',
  'ledger.read', // the journal, for auditors and finance
  'ledger.reverse', // correct a journal entry by reversing it, with a reason
  'ledger.settings', // purse order, subsidy expiry (清零), the transfer daily limit and the cash counters
  'jobs.read', // the scheduled jobs: last run, outcome, attempts, next due
  'api_tokens.manage', // create and revoke the API tokens integrations call with
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  staff: [],
  // org.read with people.read: the people page filters by campus and department.
  cashier: ['org.read', 'people.read', 'accounts.read', 'topup.cash'],
  kitchen: ['org.read'],
  delivery: ['org.read'],
  finance: [
    'org.read',
    'people.read',
    'accounts.read',
    'topup.cash',
    'subsidy.manage',
    'withdrawal.approve',
    'ledger.read',
    'ledger.reverse',
    'ledger.settings',
  ],
  canteen_manager: ['org.read', 'people.read'],
  admin: [
    'org.read',
    'org.write',
    'people.read',
    'people.write',
    'roles.assign',
    'audit.read',
    'accounts.read',
    'accounts.manage',
    'ledger.settings',
    'jobs.read',
    'api_tokens.manage',
  ],
  auditor: ['org.read', 'people.read', 'audit.read', 'accounts.read', 'ledger.read'],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function permissionsOf(roles: readonly string[]): Permission[] {
  const granted = new Set<Permission>();
  for (const role of roles) if (isRole(role)) for (const p of ROLE_PERMISSIONS[role]) granted.add(p);
  return PERMISSIONS.filter((p) => granted.has(p));
}

/**
 * What an API token may be granted. Not the permissions that move money (a cash top-up, a reversal, a
 * subsidy grant, a withdrawal decision, 退卡 under accounts.manage): money moves by a person who answers
 * for it, and the idempotency scopes and receipts of those flows name a cashier. Nor minting tokens: a
 * token that can make tokens outlives its own revocation.
 */
export const TOKEN_SCOPES = PERMISSIONS.filter(
  (p) =>
    ![
      'topup.cash',
      'subsidy.manage',
      'withdrawal.approve',
      'ledger.reverse',
      'accounts.manage',
      'api_tokens.manage',
    ].includes(p),
);

/** Which roles hold a permission: the route tests loop over these (allowed → 2xx, others → 403). */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(permission));
}
