import type { CashTopUpReceipt, PersonSummary } from '@canteen/server/api';

export interface TopUpReceiptProps {
  receipt: CashTopUpReceipt;
  person: Pick<PersonSummary, 'name' | 'employeeNo' | 'departmentName'>;
  cashierName: string;
}
