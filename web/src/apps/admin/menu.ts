import type { Permission } from '@canteen/server/api';
import {
  AlarmClock,
  Avatar,
  Connection,
  Key,
  Money,
  Notebook,
  OfficeBuilding,
  School,
  Setting,
  Stamp,
  Upload,
} from '@element-plus/icons-vue';
import type { Component } from 'vue';

export interface MenuItem {
  route: string;
  /** i18n key of the label. */
  label: string;
  icon: Component;
  /** Shown only to people whose roles grant this; the server checks it again on every request. */
  permission: Permission;
}

export const MENU: MenuItem[] = [
  // A cashier's first screen is the counter; finance and auditors find their money screens first.
  { route: 'cash-top-up', label: 'nav.cashTopUp', icon: Money, permission: 'topup.cash' },
  { route: 'subsidies', label: 'nav.subsidies', icon: Upload, permission: 'subsidy.manage' },
  { route: 'withdrawals', label: 'nav.withdrawals', icon: Stamp, permission: 'withdrawal.approve' },
  { route: 'journal', label: 'nav.journal', icon: Notebook, permission: 'ledger.read' },
  { route: 'people', label: 'nav.people', icon: Avatar, permission: 'people.read' },
  { route: 'departments', label: 'nav.departments', icon: OfficeBuilding, permission: 'org.read' },
  { route: 'campuses', label: 'nav.campuses', icon: School, permission: 'org.read' },
  { route: 'roles', label: 'nav.roles', icon: Key, permission: 'people.read' },
  { route: 'ledger-settings', label: 'nav.ledgerSettings', icon: Setting, permission: 'ledger.settings' },
  { route: 'jobs', label: 'nav.jobs', icon: AlarmClock, permission: 'jobs.read' },
  { route: 'api-tokens', label: 'nav.apiTokens', icon: Connection, permission: 'api_tokens.manage' },
];

export function menuFor(can: (permission: Permission) => boolean): MenuItem[] {
  return MENU.filter((item) => can(item.permission));
}
