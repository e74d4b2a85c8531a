export interface FormDialogProps {
  title: string;
  /** The translated error of the last save, shown above the buttons. */
  error?: string;
  busy?: boolean;
  width?: string;
  testid?: string;
  /** The submit button's words when they say more than "save" (e.g. an irreversible action). */
  submitText?: string;
}

export interface FormDialogEmits {
  (e: 'submit'): void;
}
