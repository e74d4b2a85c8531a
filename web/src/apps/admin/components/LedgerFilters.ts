export interface LedgerFiltersProps {
  /** Offer the person filter (the journal); a person's own statement does not need it. */
  person?: boolean;
  /** Prefix of the controls' test ids: <testid>-kinds, <testid>-days, <testid>-person. */
  testid: string;
}
