export interface FormDialogProps {
  title: string;
  /** The translated error of the last save, shown above the buttons. */
  error?: string;
  busy?: boolean;
  width?: string;
  testid?: string;
}

export interface FormDialogEmits {
  (e: 'submit'): void;
}
