export interface PinPadProps {
  /** What to type, above the six boxes. */
  title: string;
  /** Shown under the boxes: a hint, or the translated error of the last try. */
  info?: string;
  error?: string;
  busy?: boolean;
}

export interface PinPadEmits {
  /** All six digits are in. */
  (e: 'complete', pin: string): void;
}
