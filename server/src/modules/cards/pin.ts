// Rules for a six-digit payment PIN (支付密码). Pure functions: the service stores and checks hashes.

/** Normalises a UID as card readers print it ("04:a2-1b 7c…") to upper-case hex, or null if it is not one. */
export function normaliseCardUid(input: string): string | null {
  const hex = input.replace(/[\s:-]/g, '').toUpperCase();
  // ISO 14443 UIDs are 4, 7 or 10 bytes; some readers report 8-byte serials. Whole bytes only.
  return /^[0-9A-F]{8,20}$/.test(hex) && hex.length % 2 === 0 ? hex : null;
}

/** Why a PIN may not be chosen, or null when it is fine. */
export function pinProblem(pin: string): { code: 'PIN_FORMAT' | 'PIN_TOO_WEAK'; message: string } | null {
  if (!/^\d{6}$/.test(pin)) return { code: 'PIN_FORMAT', message: 'The payment PIN is exactly six digits' };
  const digits = [...pin].map(Number);
  const steps = digits.slice(1).map((d, i) => (d - (digits[i] ?? 0) + 10) % 10);
  // 111111, 123456, 654321, 890123 (a run that wraps is just as guessable).
  if (steps.every((s) => s === steps[0]) && (steps[0] === 0 || steps[0] === 1 || steps[0] === 9)) {
    return { code: 'PIN_TOO_WEAK', message: 'Choose a PIN that is not one digit repeated or a run like 123456' };
  }
  // 121212, 123123: a short pattern repeated.
  if (pin === pin.slice(0, 2).repeat(3) || pin === pin.slice(0, 3).repeat(2)) {
    return { code: 'PIN_TOO_WEAK', message: 'Choose a PIN that is not a short pattern repeated' };
  }
  return null;
}
