// The org module's public face: what other modules and the app may use.
export { OrgDirectory } from './directory.ts';
export { PeopleImportService } from './import.ts';
export { fillMissingPinyin, spellName } from './pinyin.ts';
export { OrgService, type PersonRow } from './service.ts';
