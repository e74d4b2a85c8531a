import { describe, expect, it } from 'vitest';
import { fieldProblemKind } from './fieldProblem.ts';

describe('the kind of a field problem the server reports', () => {
  it.each([
    ['must NOT have fewer than 1 characters', 'required'],
    ["must have required property 'name'", 'required'],
    ['must match pattern "\\S"', 'required'],
    ['must NOT have more than 64 characters', 'tooLong'],
    ['must NOT have more than 20 items', 'tooLong'],
    ['must match pattern "^[A-Za-z0-9_-]+$"', 'invalid'],
    ['must match format "date"', 'invalid'],
    ['no such department', 'invalid'],
  ])('reads "%s" as %s', (message, kind) => {
    expect(fieldProblemKind(message)).toBe(kind);
  });
});
