// The API types the web app imports: one source, derived from the route schemas.
// Each module adds `export type …` lines for what its routes accept and return.
export type {
  ApiTokenView as ApiToken,
  ApiTokenList,
  AuthOptions,
  CreatedApiToken,
  Me,
  NewApiToken,
  Session,
} from './platform/auth/schema.ts';
export type { Permission, Role } from './platform/auth/permissions.ts';
export type { JobList, ScheduledJob } from './platform/jobs/schema.ts';
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
export type { DepartmentKind, PersonKind, PersonStatus } from './modules/org/tables.ts';
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
  SubsidyMonths,
  SubsidyFileWarning,
  SubsidyLine,
  UploadSubsidyFile,
} from './modules/subsidies/schema.ts';
/** Stable codes of a subsidy line's problems and of a file's warnings; the console maps them to translated text. */
export type {
  FileWarningCode as SubsidyFileWarningCode,
  LineProblemCode as SubsidyLineProblemCode,
} from './modules/subsidies/check.ts';
export type {
  CashTopUp,
  CashTopUpReceipt,
  LedgerSettings,
  LedgerSettingsChange,
  Transfer,
  TransferReceipt,
  Wallet,
} from './modules/wallets/schema.ts';
export type { WalletStatus } from './modules/wallets/tables.ts';
export type { JournalEntry, JournalFilters, JournalPage, Reversal, ReversalRequest } from './modules/ledger/schema.ts';
export type { AccountKind } from './modules/ledger/tables.ts';
export type {
  NotificationList,
  StatementFilters,
  StatementItem,
  StatementKind as EntryKind,
  StatementPage,
  WalletNotification,
} from './modules/statements/schema.ts';
export type {
  Withdrawal,
  WithdrawalDecision,
  WithdrawalPage,
  WithdrawalRequest,
} from './modules/withdrawals/schema.ts';
export type {
  PaymentParamsReply,
  TopUpOrder,
  TopUpOrderCreated,
  TopUpOrderRequest,
} from './modules/payments/schema.ts';
