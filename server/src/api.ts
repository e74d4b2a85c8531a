// The API types the web app imports: one source, derived from the route schemas.
// Each module adds `export type …` lines for what its routes accept and return.
export type { AuthOptions, Me, Session } from './platform/auth/schema.ts';
export type { Permission, Role } from './platform/auth/permissions.ts';
export type {
  AuditEntry,
  AuditFilters,
  AuditPage,
  Campus,
  CampusChanges,
  ConfirmPeopleImport,
  Department,
  DepartmentChanges,
  NewCampus,
  NewDepartment,
  NewPerson,
  PeopleFile,
  PeopleImportPreview,
  PeopleImportResult,
  PeopleImportRow,
  Payee,
  PersonChanges,
  PersonDetail,
  PersonListFilters,
  PersonPage,
  PersonRoles,
  PersonSummary,
  Profile,
  RoleAssignment,
  RoleSummary,
} from './modules/org/schema.ts';
export type { DepartmentKind, PersonKind, PersonStatus } from './db/tables.ts';
/** Stable codes of the problems a people import row can have; the console maps them to translated text. */
export type { ImportProblemCode as PeopleImportProblemCode } from './modules/org/import.ts';
export type {
  AccountReturn,
  AccountReturnReceipt,
  Card,
  CardDenyList,
  CardList,
  IssueCard,
  PinStatus,
  ReplaceCard,
  ReplacedCard,
  SetPin,
} from './modules/cards/schema.ts';
export type {
  ConfirmSubsidyBatch,
  SubsidyBatch,
  SubsidyBatchDetail,
  SubsidyBatchList,
  SubsidyLine,
  UploadSubsidyFile,
} from './modules/subsidies/schema.ts';
/** Stable codes of the problems a subsidy line can have; the console maps them to translated text. */
export type { LineProblemCode as SubsidyLineProblemCode } from './modules/subsidies/service.ts';
export type {
  CashTopUp,
  CashTopUpReceipt,
  JournalEntry,
  JournalFilters,
  JournalPage,
  LedgerSettings,
  LedgerSettingsChange,
  NotificationList,
  StatementFilters,
  StatementItem,
  Reversal,
  ReversalRequest,
  StatementPage,
  Transfer,
  TransferReceipt,
  Wallet,
  WalletNotification,
  Withdrawal,
  WithdrawalDecision,
  WithdrawalPage,
  WithdrawalRequest,
} from './modules/ledger/schema.ts';
export type { AccountKind, EntryKind, WalletStatus } from './modules/ledger/tables.ts';
export type {
  PaymentParamsReply,
  TopUpOrder,
  TopUpOrderCreated,
  TopUpOrderRequest,
} from './modules/payments/schema.ts';
