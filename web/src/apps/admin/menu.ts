import type { Permission } from '@canteen/server/api';
import { Avatar, Key, OfficeBuilding, School } from '@element-plus/icons-vue';
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
  { route: 'people', label: 'nav.people', icon: Avatar, permission: 'people.read' },
  { route: 'departments', label: 'nav.departments', icon: OfficeBuilding, permission: 'org.read' },
  { route: 'campuses', label: 'nav.campuses', icon: School, permission: 'org.read' },
  { route: 'roles', label: 'nav.roles', icon: Key, permission: 'people.read' },
];

export function menuFor(can: (permission: Permission) => boolean): MenuItem[] {
  return MENU.filter((item) => can(item.permission));
}
