export interface MoneyInputProps {
  label: string;
  placeholder?: string;
  /** The least accepted, in fen: 1 unless zero means something (a limit of 0 turns a feature off). */
  minFen?: number;
  maxFen?: number | null;
  /** What to say above maxFen, when "at most ¥…" does not say why. */
  overText?: string;
  /** The server's word on this field after a refused save (fieldErrors['amountFen']). */
  error?: string;
  size?: 'large' | 'default' | 'small';
  testid?: string;
}

export interface MoneyInputEmits {
  /** Enter in the field: the page's form submits, as everywhere in the console. */
  (e: 'enter'): void;
}
