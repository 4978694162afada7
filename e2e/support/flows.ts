/** The steps several tests take as a user would: open the demo catalog, train every task with Quick look. */
import { expect, type Page } from '@playwright/test';

export const taskTab = (page: Page, name: string) =>
  page.getByRole('tab', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`) });

export async function openDemo(page: Page, perClass = 20) {
  await page.goto('/');
  await page.getByLabel('Size').selectOption(String(perClass));
  await page.getByRole('button', { name: 'Try the demo catalog' }).click();
  await expect(page.getByTestId('dataset-summary')).toContainText(`${perClass * 17} images in 17 classes`, {
    timeout: 90_000,
  });
  await page.getByRole('button', { name: 'Train models on it' }).click();
}

/** Trains every task with small models for 3 epochs, and waits until each tab shows its best accuracy. */
export async function trainEveryTaskQuickly(page: Page) {
  await page.getByLabel('Every task with').selectOption('quick');
  await page.getByRole('button', { name: 'Train every task' }).click();
  for (const t of await page.getByRole('tab').allTextContents())
    await expect(taskTab(page, t.split(' · ')[0]!)).toHaveText(/\d+%$/, { timeout: 180_000 });
}

/** Whether this browser's only GPU is a software one (no WebGPU adapter, or SwiftShader as in CI here). */
export async function onlySoftwareGpu(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const gpu = (
      navigator as unknown as {
        gpu?: { requestAdapter(): Promise<{ info?: { architecture?: string } } | null> };
      }
    ).gpu;
    const adapter = await gpu?.requestAdapter();
    return !adapter || /swiftshader/i.test(adapter.info?.architecture ?? '');
  });
}
