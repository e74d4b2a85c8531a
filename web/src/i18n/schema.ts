import type zhCN from './zh-CN.ts';

/** The shape every language file must have: zh-CN is the source of truth. */
export type MessageSchema = typeof zhCN;
