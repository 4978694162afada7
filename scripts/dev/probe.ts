/** Shared set-up of the probes: headless Chromium on a page with a file input (#x) holding the chosen files. */
import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../chromium';

export async function pageWithChosenFiles(
  url: string,
  files: string | string[],
  asFolder = typeof files === 'string',
): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const page = await browser.newPage();
  await page.goto(url);
  await page.evaluate((folder) => {
    const i = document.createElement('input');
    i.type = 'file';
    i.multiple = true;
    i.webkitdirectory = folder;
    i.id = 'x';
    document.body.append(i);
  }, asFolder);
  await page.setInputFiles('#x', files);
  return { browser, page };
}
