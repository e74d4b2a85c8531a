// How a name is shown to someone who may confirm a colleague but not read a stranger's name.

/** 王晓燕 → 王*燕, 李娜 → 李*, Ann Lee → A*****e: enough to recognise a colleague, not to read a stranger's name. */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
