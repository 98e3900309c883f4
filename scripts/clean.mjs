// Removes build output before a build (portable `rm -rf dist`).
import { rmSync } from 'node:fs';
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
