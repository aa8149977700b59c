// End to end (issue 16) at 1366×768: 売上集計 draws the demo month's chart and its
// table; a gateway profile is tested before it is saved (a failed test saves
// nothing); an automatic backup exists after a simulated day. Screenshots of
// 売上集計 and 設定.
import assert from 'node:assert/strict'
import { demoShop, open, shots } from './lib/browser.mjs'

const { browser, page, pageErrors } = await open({ width: 1366, height: 768, timeout: 30000 })

try {
  await demoShop(page)

  // 売上集計: this month (the demo's orders run up to today), by day.
  await page.getByTestId('nav-reports').click()
  const table = page.getByTestId('sales-table')
  await table.waitFor()
  await page.getByTestId('sales-row').first().waitFor()
  const rows = await page.getByTestId('sales-row').count()
  assert.ok(rows > 0, 'the month has sales lines')
  // The chart is drawn (ECharts renders into a canvas of the chart's size).
  const canvas = page.locator('[data-testid=sales-chart] canvas')
  await canvas.waitFor()
  const box = await canvas.boundingBox()
  assert.ok(box && box.width > 600 && box.height > 150, `the chart has a size: ${JSON.stringify(box)}`)
  // The total row equals the summary's net sales.
  const net = (await page.getByTestId('sales-net').textContent()).trim()
  assert.match(await page.getByTestId('sales-total').textContent(), new RegExp(net.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
  await page.screenshot({ path: `${shots}/20-reports.png` })
  // By week: fewer periods, the same total.
  await page.getByTestId('report-by-week').click()
  await page.waitForFunction((n) => document.querySelector('[data-testid=sales-net]')?.textContent.trim() === n, net)
  await page.getByTestId('report-tab-outstanding').click()
  await page.getByTestId('outstanding-table').waitFor()
  await page.screenshot({ path: `${shots}/21-reports-outstanding.png` })
  await page.getByTestId('report-tab-fees').click()
  await page.getByTestId('fees-table').waitFor()
  await page.screenshot({ path: `${shots}/22-reports-fees.png` })

  // 設定 → ゲートウェイ: a new profile is tested before it is saved. Nothing listens
  // on the host given: the test says so, and nothing is saved.
  await page.getByTestId('nav-settings').click()
  await page.getByTestId('profile-row').first().waitFor()
  await page.screenshot({ path: `${shots}/23-settings.png` })
  const before = await page.getByTestId('profile-row').count()
  await page.getByTestId('profile-add').click()
  await page.getByTestId('profile-name').fill('GMO-PG テスト環境')
  await page.getByTestId('profile-host').fill('http://127.0.0.1:9')
  await page.getByTestId('profile-merchant').fill('tshop00012345')
  await page.getByTestId('profile-secret-shop_pass').fill('abc12345')
  await page.screenshot({ path: `${shots}/24-settings-profile-form.png`, fullPage: true })
  await page.getByTestId('profile-save').click()
  const result = page.getByTestId('profile-draft-result')
  await result.waitFor()
  assert.equal(await result.getAttribute('data-ok'), 'false', await result.textContent())
  assert.doesNotMatch(await result.textContent(), /処理されたか|確認します/, 'a test never speaks of checking an outcome')
  assert.equal(await page.getByTestId('profile-row').count(), before, 'a failed test saves nothing')
  await page.getByTestId('profile-cancel').click()

  // 同期: the settings and the last runs.
  await page.getByTestId('settings-nav-sync').click()
  await page.getByTestId('rules').waitFor()
  await page.getByTestId('sync-run').first().waitFor({ timeout: 60000 })
  await page.screenshot({ path: `${shots}/25-settings-sync.png` })

  // バックアップ: the daily check run as a day later makes an automatic backup.
  await page.getByTestId('settings-nav-backup').click()
  await page.getByTestId('backup-settings').waitFor()
  const name = await page.evaluate(() => window.go.app.BackupDay.After(1))
  assert.match(name, /^kessaidesk-auto-\d{8}-\d{6}\.db$/)
  await page.getByTestId('settings-nav-sync').click()
  await page.getByTestId('settings-nav-backup').click()
  await page.locator(`[data-testid=backup-row][data-kind=auto]`).first().waitFor()
  const autos = await page.locator('[data-testid=backup-row][data-kind=auto]').count()
  assert.ok(autos >= 1, 'an automatic backup is listed')
  // The same simulated day again: nothing more.
  assert.equal(await page.evaluate(() => window.go.app.BackupDay.After(1)), '')
  await page.screenshot({ path: `${shots}/26-settings-backup.png` })

  assert.deepEqual(pageErrors, [], 'no script errors in the page')
  console.log('e2e reports and settings: OK')
} catch (e) {
  await page.screenshot({ path: `${shots}/failure-reports.png`, fullPage: true }).catch(() => {})
  throw e
} finally {
  await browser.close()
}
