export interface PersonHistoryProps {
  personId: number;
  /** Bumped by the page after each change, so the history shows it at once. */
  version: number;
}
