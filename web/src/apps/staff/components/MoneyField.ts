export interface MoneyFieldProps {
  label: string;
  placeholder?: string;
  /** The least accepted, in fen (1 unless a channel has a higher minimum). */
  minFen?: number;
  /** The most accepted: a channel's limit, or what the person has. */
  maxFen?: number | null;
  /** What to say above maxFen, when "at most ¥…" does not say why ("more than you can withdraw"). */
  overText?: string;
  testid?: string;
}
