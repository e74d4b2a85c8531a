#!/usr/bin/env node
// The server runs its TypeScript through tsx, so there is no separate compile step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
