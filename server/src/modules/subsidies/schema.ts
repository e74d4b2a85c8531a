// Request and response schemas of the subsidy import API. The web app imports their Static types
// through server/src/api.ts.
import { Type, type Static } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });
const Month = Type.String({ pattern: '^\\d{4}-\\d{2}$' });

/** Largest file accepted: a year of a big hospital's rows fits many times over. */
export const MAX_SUBSIDY_FILE_BYTES = 5 * 1024 * 1024;

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

// The file travels as base64 inside JSON: one body shape for the console and the CLI, the same
// strict validation as every other route, and no multipart parser to configure. The route raises
// its body limit to fit a 5 MB file (base64 is 4/3 of it).
export const UploadSubsidyFileSchema = Type.Object(
  {
    fileName: Type.String({ minLength: 5, maxLength: 200, pattern: '\\.(xlsx|csv|XLSX|CSV)$' }),
    contentBase64: Type.String({ minLength: 4, maxLength: Math.ceil((MAX_SUBSIDY_FILE_BYTES * 4) / 3) + 4 }),
    /** The month of the whole batch (2026-03, 2026年3月…), when the file has no month column. */
    month: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false },
);

export const BatchExportQuery = Type.Object(
  { problemsOnly: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const ConfirmSubsidyBatchSchema = Type.Object(
  { skipProblemRows: Type.Optional(Type.Boolean({ default: false })) },
  { additionalProperties: false },
);

const BatchStatus = Type.Union([Type.Literal('draft'), Type.Literal('granted'), Type.Literal('cancelled')]);

export const BatchListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
    status: Type.Optional(BatchStatus),
    month: Type.Optional(Month),
  },
  { additionalProperties: false },
);

const batchFields = {
  id: Type.Integer(),
  fileName: Type.String(),
  month: Nullable(Month),
  status: BatchStatus,
  lineCount: Type.Integer(),
  problemLineCount: Type.Integer(),
  goodLineCount: Type.Integer(),
  goodTotalFen: Type.Integer(),
  grantedLineCount: Nullable(Type.Integer()),
  grantedTotalFen: Nullable(Type.Integer()),
  journalEntryId: Nullable(Type.Integer()),
  createdBy: Nullable(Type.Integer()),
  createdAt: Timestamp,
  decidedBy: Nullable(Type.Integer()),
  decidedAt: Nullable(Timestamp),
  /** Until when a draft (a preview) can be confirmed; it is deleted after. Null once granted. */
  expiresAt: Nullable(Timestamp),
};

export const SubsidyBatchSchema = Type.Object(batchFields);
export const SubsidyBatchListSchema = Type.Object({ items: Type.Array(SubsidyBatchSchema) });

export const SubsidyLineSchema = Type.Object({
  rowNumber: Type.Integer(),
  employeeNo: Type.String(),
  name: Type.String(),
  amountText: Type.String(),
  monthText: Type.String(),
  personId: Nullable(Type.Integer()),
  amountFen: Nullable(Type.Integer()),
  month: Nullable(Month),
  problems: Type.Array(
    Type.Object({
      code: Type.String(),
      message: Type.String(),
      /** DUPLICATE_IN_FILE: the other rows of the same employee. */
      rows: Type.Optional(Type.Array(Type.Integer())),
    }),
  ),
  granted: Type.Boolean(),
});

/** About the file as a whole; a warning blocks nothing. Fields beyond code and message depend on the code. */
export const SubsidyFileWarningSchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
  /** TOTAL_MISMATCH: the totals row (合计, 小计), what it says and what the rows it totals add up to. */
  rowNumber: Type.Optional(Type.Integer()),
  label: Type.Optional(Type.String()),
  expectedFen: Type.Optional(Type.Integer()),
  actualFen: Type.Optional(Type.Integer()),
  /** TOTAL_MISMATCH: rows among those totalled whose amount could not be read. */
  rows: Type.Optional(Type.Array(Type.Integer())),
  /** MONTH_DIFFERS_FROM_TITLE: the month the sheet's title or name gives. */
  month: Type.Optional(Month),
});

export const SubsidyBatchDetailSchema = Type.Object({
  ...batchFields,
  warnings: Type.Array(SubsidyFileWarningSchema),
  problemCounts: Type.Record(Type.String(), Type.Integer()),
  lines: Type.Array(SubsidyLineSchema),
});

export type UploadSubsidyFile = Static<typeof UploadSubsidyFileSchema>;
export type ConfirmSubsidyBatch = Static<typeof ConfirmSubsidyBatchSchema>;
export type SubsidyBatch = Static<typeof SubsidyBatchSchema>;
export const SubsidyMonthsSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }),
        totalFen: Type.Integer({ description: 'integer fen (分), net of reversals' }),
        people: Type.Integer({ minimum: 0 }),
        entries: Type.Integer({ minimum: 0 }),
      }),
    ),
  },
  { $id: 'SubsidyMonths' },
);

export type SubsidyBatchList = Static<typeof SubsidyBatchListSchema>;
export type SubsidyMonths = Static<typeof SubsidyMonthsSchema>;
export type SubsidyLine = Static<typeof SubsidyLineSchema>;
export type SubsidyFileWarning = Static<typeof SubsidyFileWarningSchema>;
export type SubsidyBatchDetail = Static<typeof SubsidyBatchDetailSchema>;
