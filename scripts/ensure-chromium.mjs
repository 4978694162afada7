// Fails early, with the fix, when the browser the e2e tests need is missing.
import { existsSync } from 'node:fs';
const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(path)) {
  console.error(
    `Chromium not found at ${path}. Install it with: sudo apt-get install -y chromium` +
      ` (or set CHROMIUM_PATH to a Chromium/Chrome binary). npm test installs it for you (scripts/system-deps.sh).`,
  );
  process.exit(1);
}
