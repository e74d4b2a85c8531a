// People import (人员导入): HR uploads an Excel or CSV sheet of new hires, sees every row with its
// problems, and confirms; the good rows go in through OrgService.addPeople, so each new person's
// wallet opens and each is audited, exactly as if typed in the console.
//
// Nothing is kept between preview and confirm: the console sends the same file again and it is read
// and checked again, inside the confirm transaction, under the hospital's row lock. A preview can be
// hours old; checking at confirm time is what makes the import safe (a number taken meanwhile is a
// problem again) and idempotent (a second confirm, or the same file next week, finds those people
// and shows them as "already exists"). The employee number is the identity: unique per hospital in
// the database, so no draft table or Idempotency-Key is needed to create nobody twice.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { recordAudit, type Actor, type AuditTables } from '../../platform/audit.ts';
import { conflict, invalid } from '../../platform/errors.ts';
import { nameKey, newWorkbook, readSpreadsheet, type SheetRow } from '../../platform/spreadsheet.ts';
import { spellName } from './pinyin.ts';
import * as q from './queries.ts';
import type { PeopleImportPreview, PeopleImportResult, PeopleImportRow } from './schema.ts';
import type { OrgService, PersonRow } from './service.ts';
import type { OrgTables, PersonKind } from './tables.ts';

/** The org module's tables, and the audit log it writes and shows. */
type OrgDb = OrgTables & AuditTables;

type PeopleColumn = 'employeeNo' | 'name' | 'phone' | 'department' | 'kind' | 'joinedOn';

// Header names as HR systems export them; matching ignores case, spaces and a unit in brackets.
const PEOPLE_COLUMNS: Record<PeopleColumn, string[]> = {
  employeeNo: [
    '工号',
    '员工编号',
    '员工工号',
    '职工号',
    '人员编号',
    '员工号',
    'employeeno',
    'employeenumber',
    'staffno',
  ],
  name: ['姓名', '员工姓名', '职工姓名', 'name', 'fullname'],
  phone: ['手机', '手机号', '手机号码', '电话', '联系电话', 'phone', 'mobile', 'phonenumber'],
  department: ['科室', '部门', '科室编码', '科室名称', '部门名称', 'department', 'departmentcode', 'dept'],
  kind: ['人员类别', '人员类型', '类别', 'kind', 'type', 'category'],
  joinedOn: ['入职日期', '入职时间', '入职', 'joinedon', 'joindate', 'joined', 'startdate'],
};

// 人员类别 as HR writes it, in either language.
const KIND_WORDS: Record<PersonKind, string[]> = {
  staff: ['职工', '员工', '在职职工', '正式职工', 'staff', 'employee'],
  patient_family: ['家属', '患者家属', '陪护', 'patient_family', 'patientfamily', 'family'],
  contractor: ['外包', '外包人员', '第三方', 'contractor'],
  visitor: ['访客', '来访', 'visitor', 'guest'],
};
const KIND_BY_WORD = new Map(
  (Object.entries(KIND_WORDS) as [PersonKind, string[]][]).flatMap(([kind, words]) =>
    words.map((w) => [w.toLowerCase(), kind] as const),
  ),
);

/** What a row can be wrong about; every code keeps the row out unless HR fixes it. */
export const IMPORT_PROBLEMS = {
  EMPLOYEE_NO_MISSING: 'The employee number (工号) is empty',
  EMPLOYEE_NO_MALFORMED: 'The employee number may hold letters, digits, - and _ only, 32 at most',
  DUPLICATE_IN_FILE: 'This employee number appears more than once in the file',
  EMPLOYEE_NO_TAKEN: 'This employee number belongs to someone else',
  NAME_MISSING: 'The name (姓名) is empty',
  NAME_TOO_LONG: 'The name is longer than 64 characters',
  DEPARTMENT_UNKNOWN: 'No department has this code or name',
  DEPARTMENT_AMBIGUOUS: 'Several departments have this name; write its code',
  KIND_UNKNOWN: 'The kind must be 职工/staff, 家属/patient_family, 外包/contractor or 访客/visitor',
  PHONE_MALFORMED: 'The phone is not a mobile (11 digits), a landline with area code or an extension',
  DATE_MALFORMED: 'The joining date is not a date such as 2026-03-01 or 2026年3月1日',
} as const;
export type ImportProblemCode = keyof typeof IMPORT_PROBLEMS;

const problem = (code: ImportProblemCode, detail?: string) => ({
  code,
  message: detail ? `${IMPORT_PROBLEMS[code]}: ${detail}` : IMPORT_PROBLEMS[code],
});

const EMPLOYEE_NO = /^[A-Za-z0-9_-]{1,32}$/;

/** A phone as HR types it: mobile (+86 allowed), landline with area code, or a hospital extension. */
export function isPhone(text: string): boolean {
  if (!/^[0-9+ -]{1,20}$/.test(text)) return false;
  const digits = text.replace(/[\s-]/g, '');
  return /^(\+?86)?1[3-9]\d{9}$/.test(digits) || /^0\d{9,11}$/.test(digits) || /^\d{3,8}$/.test(digits);
}

/** 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日 or 20260301 as YYYY-MM-DD; null when it is no real day. */
export function parseDay(input: string): string | null {
  const text = input.normalize('NFKC').trim().replace(/\s+/g, '');
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || year > 2099 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

interface DepartmentRef {
  id: number;
  code: string;
  name: string;
}

/** One row checked: what it says, what it means, and what to do with it. */
interface CheckedRow extends PeopleImportRow {
  person: PersonRow | null;
}

export interface PeopleUpload {
  hospitalId: number;
  fileName: string;
  bytes: Uint8Array;
}

export class PeopleImportService {
  constructor(
    private readonly db: Kysely<OrgDb>,
    private readonly org: OrgService,
  ) {}

  /** Reads and checks a file row by row. Nothing is written. */
  async previewPeopleImport(upload: PeopleUpload): Promise<PeopleImportPreview> {
    const rows = await readPeopleFile(upload);
    const checked = await checkRows(this.db, upload.hospitalId, rows);
    return preview(upload, checked);
  }

  /**
   * Creates every good row of the file in one transaction. A file with problem rows is refused
   * (409 IMPORT_HAS_PROBLEMS) unless `skipProblemRows`; rows already there are left alone.
   */
  async importPeople(upload: PeopleUpload, skipProblemRows: boolean, actor: Actor): Promise<PeopleImportResult> {
    const rows = await readPeopleFile(upload);
    // Spelled in pinyin now, not under the hospital's lock below (the dictionary is the slow part).
    const pinyin = new Map(rows.map((r) => [r.name, spellName(r.name)]));
    return this.db.transaction().execute(async (trx) => {
      // Imports (and the checks they make) of one hospital queue here, so two confirms of one file
      // cannot both find a number free; the second finds the people the first created.
      await q.lockHospital(trx, upload.hospitalId);
      const checked = await checkRows(trx, upload.hospitalId, rows);
      const result = preview(upload, checked);
      const problemRows = checked.filter((r) => r.status === 'problem').map((r) => r.rowNumber);
      if (problemRows.length && !skipProblemRows) {
        throw conflict(
          'IMPORT_HAS_PROBLEMS',
          `Rows with problems: ${problemRows.length}. Fix the file and upload it again, or import leaving them out`,
          { rows: problemRows },
        );
      }
      const fresh = checked.filter((r) => r.status === 'new');
      const created = fresh.length
        ? await this.org.addPeople(
            trx,
            upload.hospitalId,
            fresh.map((r) => {
              const person = r.person as PersonRow;
              return { ...person, pinyin: pinyin.get(person.name) };
            }),
            actor,
          )
        : [];
      await recordAudit(trx, actor, {
        action: 'people_import.confirm',
        entity: 'people_import',
        entityId: result.fileSha256.slice(0, 16),
        after: {
          fileName: upload.fileName,
          rows: result.totals.rows,
          created: created.length,
          existing: result.totals.exists,
          skippedProblemRows: problemRows,
        },
      });
      return {
        fileName: result.fileName,
        fileSha256: result.fileSha256,
        totals: result.totals,
        created: created.map((p, i) => ({
          rowNumber: (fresh[i] as CheckedRow).rowNumber,
          personId: p.id,
          employeeNo: p.employeeNo,
        })),
        skippedProblemRows: problemRows,
      };
    });
  }
}

async function readPeopleFile(upload: PeopleUpload): Promise<SheetRow<PeopleColumn>[]> {
  const sheet = await readSpreadsheet(upload.fileName, upload.bytes, {
    aliases: PEOPLE_COLUMNS,
    required: ['employeeNo', 'name'],
    key: 'employeeNo',
  });
  if (!sheet.rows.length) throw invalid('FILE_EMPTY', 'The file has a header row but no data rows');
  return sheet.rows;
}

function preview(upload: PeopleUpload, checked: CheckedRow[]): PeopleImportPreview {
  const problemCounts: Record<string, number> = {};
  for (const row of checked) for (const p of row.problems) problemCounts[p.code] = (problemCounts[p.code] ?? 0) + 1;
  const count = (status: PeopleImportRow['status']) => checked.filter((r) => r.status === status).length;
  return {
    fileName: upload.fileName,
    fileSha256: createHash('sha256').update(upload.bytes).digest('hex'),
    totals: { rows: checked.length, new: count('new'), exists: count('exists'), problem: count('problem') },
    problemCounts,
    rows: checked.map(({ person: _person, ...row }) => row),
  };
}

async function checkRows(
  db: Tx | Kysely<OrgDb>,
  hospitalId: number,
  rows: SheetRow<PeopleColumn>[],
): Promise<CheckedRow[]> {
  const employeeNos = [...new Set(rows.map((r) => r.employeeNo).filter((no) => EMPLOYEE_NO.test(no)))];
  const existing = new Map(
    (await q.findPeopleByEmployeeNos(db, hospitalId, employeeNos)).map((p) => [p.employeeNo, p]),
  );
  const departments = await q.listDepartments(db, hospitalId);
  const byCode = new Map(departments.map((d) => [d.code.toLowerCase(), d]));
  const byName = new Map<string, DepartmentRef[]>();
  for (const d of departments) byName.set(nameKey(d.name), [...(byName.get(nameKey(d.name)) ?? []), d]);
  const rowsByEmployeeNo = new Map<string, number[]>();
  for (const row of rows) {
    if (row.employeeNo) {
      rowsByEmployeeNo.set(row.employeeNo, [...(rowsByEmployeeNo.get(row.employeeNo) ?? []), row.rowNumber]);
    }
  }

  return rows.map((row) => {
    const problems: ReturnType<typeof problem>[] = [];
    const known = existing.get(row.employeeNo);

    if (!row.employeeNo) problems.push(problem('EMPLOYEE_NO_MISSING'));
    else if (!EMPLOYEE_NO.test(row.employeeNo)) problems.push(problem('EMPLOYEE_NO_MALFORMED', row.employeeNo));
    const same = rowsByEmployeeNo.get(row.employeeNo) ?? [];
    if (same.length > 1) {
      problems.push(problem('DUPLICATE_IN_FILE', `rows ${same.filter((n) => n !== row.rowNumber).join(', ')} too`));
    }
    if (known && nameKey(known.name) !== nameKey(row.name)) {
      problems.push(problem('EMPLOYEE_NO_TAKEN', `${row.employeeNo} is ${known.name}`));
    }
    if (!row.name) problems.push(problem('NAME_MISSING'));
    else if (row.name.length > 64) problems.push(problem('NAME_TOO_LONG'));

    let department: DepartmentRef | null = null;
    if (row.department) {
      const named = byName.get(nameKey(row.department)) ?? [];
      const found = byCode.get(row.department.toLowerCase()) ?? (named.length === 1 ? named[0] : undefined);
      if (found) department = { id: found.id, code: found.code, name: found.name };
      else if (named.length > 1) {
        problems.push(problem('DEPARTMENT_AMBIGUOUS', `${row.department}: ${named.map((d) => d.code).join(', ')}`));
      } else problems.push(problem('DEPARTMENT_UNKNOWN', row.department));
    }

    const kind = row.kind ? (KIND_BY_WORD.get(row.kind.replace(/\s+/g, '').toLowerCase()) ?? null) : 'staff';
    if (!kind) problems.push(problem('KIND_UNKNOWN', row.kind));
    if (row.phone && !isPhone(row.phone)) problems.push(problem('PHONE_MALFORMED', row.phone));
    const joinedOn = row.joinedOn ? parseDay(row.joinedOn) : null;
    if (row.joinedOn && !joinedOn) problems.push(problem('DATE_MALFORMED', row.joinedOn));

    // The same number and name are already there: this row was imported before (or typed in); leave it.
    const exists = known !== undefined && nameKey(known.name) === nameKey(row.name) && same.length === 1;
    const status = exists ? 'exists' : problems.length ? 'problem' : 'new';
    return {
      rowNumber: row.rowNumber,
      employeeNo: row.employeeNo.slice(0, 64),
      name: row.name.slice(0, 64),
      phone: row.phone.slice(0, 32),
      departmentText: row.department.slice(0, 64),
      department,
      kindText: row.kind.slice(0, 32),
      kind,
      joinedOnText: row.joinedOn.slice(0, 32),
      joinedOn,
      status,
      personId: exists ? known.id : null,
      problems: exists ? [] : problems,
      person:
        status === 'new'
          ? {
              employeeNo: row.employeeNo,
              name: row.name,
              phone: row.phone,
              departmentId: department?.id ?? null,
              kind: kind ?? 'staff',
              joinedOn,
            }
          : null,
    };
  });
}

/** The sheet HR fills in: the columns to fill, and a sheet of instructions (not imported). */
export async function peopleImportTemplate(): Promise<Buffer> {
  const workbook = await newWorkbook();
  const sheet = workbook.addWorksheet('人员导入');
  sheet.columns = [
    { header: '工号', key: 'employeeNo', width: 14, style: { numFmt: '@' } },
    { header: '姓名', key: 'name', width: 12 },
    { header: '手机', key: 'phone', width: 16, style: { numFmt: '@' } },
    { header: '科室', key: 'department', width: 16 },
    { header: '人员类别', key: 'kind', width: 12 },
    { header: '入职日期', key: 'joinedOn', width: 14, style: { numFmt: '@' } },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (let row = 2; row <= 1000; row++) {
    sheet.getCell(`E${row}`).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: ['"职工,家属,外包,访客"'],
    };
  }
  const help = workbook.addWorksheet('说明 Instructions');
  help.getColumn(1).width = 100;
  for (const line of [
    '只导入第一个工作表。每行一人：工号和姓名必填；手机、科室（编码或名称）、人员类别（职工、家属、外包、访客，默认职工）、入职日期（如 2026-03-01）可选。',
    '已有的工号和姓名会显示为"已存在"，不会重复创建；同一文件可以放心再次导入。预览无误后确认才会创建。',
    'Only the first sheet is imported. One row per person: employee number and name are required; phone, department (code or name), kind (staff, patient_family, contractor, visitor; default staff) and joining date (2026-03-01) are optional.',
    'Rows whose employee number and name already exist show as "already exists" and are not created again. Nothing is created until the preview is confirmed.',
  ]) {
    help.addRow([line]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
