/** What is wrong with one field, in the few kinds the UI has words for. */
export type FieldProblemKind = 'required' | 'tooLong' | 'invalid';

// The server's validator (Ajv) says what is wrong in English; these name the common cases.
// A name must contain a non-space character (pattern "\S"): an empty-looking name is a missing one.
const REQUIRED = /required property|fewer than 1 characters|must match pattern "\\S"/;
const TOO_LONG = /more than \d+ (characters|items)/;

export function fieldProblemKind(message: string): FieldProblemKind {
  if (REQUIRED.test(message)) return 'required';
  if (TOO_LONG.test(message)) return 'tooLong';
  return 'invalid';
}
