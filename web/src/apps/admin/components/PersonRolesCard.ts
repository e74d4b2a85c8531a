export interface PersonRolesCardProps {
  /** The roles the person holds now. */
  roles: readonly string[];
  /** Whether the signed-in person may change them (roles.assign). */
  editable: boolean;
  save: (roles: string[]) => Promise<void>;
}
