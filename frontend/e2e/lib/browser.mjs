// What every end-to-end script shares: Debian's Chromium driven by playwright-core
// against the dev-tagged app (build/scripts/e2e.sh sets E2E_URL and E2E_SHOTS), script
// errors of the page collected (Wails' own dev IPC script throws once in a plain
// browser: not ours), and the first window's choice of the demo shop.
import { chromium } from 'playwright-core'
import assert from 'node:assert/strict'

export const url = process.env.E2E_URL
export const shots = process.env.E2E_SHOTS || '.'
assert.ok(url, 'E2E_URL is not set')

// open launches Chromium and one page; pageErrors collects the page's script errors.
export async function open({ width = 1360, height = 880, timeout = 30000 } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  })
  const page = await browser.newPage({ viewport: { width, height }, locale: 'ja-JP' })
  page.setDefaultTimeout(timeout)
  const pageErrors = []
  page.on('pageerror', (e) => {
    const stack = String(e.stack || e)
    if (!stack.includes('/wails/ipc.js')) pageErrors.push(stack)
  })
  return { browser, page, pageErrors }
}

// demoShop opens the app on the demo shop: a new data folder's first window offers
// the choice (made once per folder; a later script finds the demo already there). The
// window opens on ホーム; with { list: true } (the default, as the earlier scripts expect)
// it goes on to 受注管理 with the full search form folded out.
export async function demoShop(page, { list = true } = {}) {
  await page.goto(url)
  await page.locator('[data-testid=welcome], [data-testid=home], [data-testid=search-form]').first().waitFor()
  if (await page.getByTestId('welcome').isVisible()) await page.getByTestId('welcome-demo').click()
  await page.getByTestId('nav-orders').waitFor()
  const demo = await page.getByTestId('demo-mode').waitFor({ timeout: 15000 }).then(() => true, () => false)
  assert.ok(demo, 'this script needs the demo shop: run it before own-shop.mjs, or on a data folder of its own')
  if (!list) return
  await page.getByTestId('nav-orders').click()
  await page.getByTestId('search-form').waitFor()
  await openSearchForm(page)
}

// openSearchForm folds out 受注管理's full search form (under the quick search box).
export async function openSearchForm(page) {
  if (!(await page.getByTestId('search-advanced-form').isVisible())) await page.getByTestId('search-advanced').click()
  await page.getByTestId('search-advanced-form').waitFor()
}
