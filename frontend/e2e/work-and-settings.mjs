// End to end: the 作業リスト (sync now against the sandbox, the lists) and the 設定
// screens (the demo gateway's 接続テスト over HTTP, a profile with bad input refused
// in Japanese, a backup) in a real browser against the dev-tagged app.
import assert from 'node:assert/strict'
import { demoShop, open, shots } from './lib/browser.mjs'

const { browser, page, pageErrors } = await open({ width: 1360, height: 880, timeout: 30000 })

try {
  await demoShop(page)
  await page.getByTestId('nav-work').click()
  await page.getByTestId('sync-panel').waitFor()
  await page.getByTestId('work-tab-to_capture').waitFor()
  // The demo shop has 仮売上 orders to capture, listed by days left.
  await page.getByTestId('result-row').first().waitFor()
  const days = await page.$$eval('[data-testid=result-row]', (rows) => rows.map((r) => {
    const m = r.textContent.match(/残り(\d+)日/)
    return m ? Number(m[1]) : null
  }).filter((x) => x !== null))
  assert.ok(days.length > 0, 'days left are shown')
  assert.deepEqual(days, [...days].sort((a, b) => a - b), 'most urgent first')

  // 今すぐ同期 against the sandbox: the button comes back and the last sync is shown.
  await page.getByTestId('sync-now').click()
  await page.waitForFunction(() => {
    const b = document.querySelector('[data-testid=sync-now]')
    return b && !b.disabled && !document.querySelector('[data-testid=sync-panel]').textContent.includes('まだ同期していません')
  })
  await page.screenshot({ path: `${shots}/10-work.png`, fullPage: true })

  // 一括売上 of the three most urgent: confirm, progress, every one succeeds.
  const chosen = await page.$$eval('[data-testid=result-row]', (rows) => rows.slice(0, 3).map((r) => r.dataset.orderNo))
  assert.equal(chosen.length, 3)
  for (let i = 0; i < 3; i++) await page.getByTestId('select-row').nth(i).check()
  await page.getByTestId('bulk-capture').click()
  await page.getByTestId('bulk-confirm-yes').click()
  const bulk = page.getByTestId('bulk-result')
  await bulk.waitFor()
  assert.match(await bulk.textContent(), /成功 3件・失敗 0件/)
  // The captured orders leave 売上待ち (the sync may meanwhile bring others in).
  await page.waitForFunction((nos) => {
    const now = [...document.querySelectorAll('[data-testid=result-row]')].map((r) => r.dataset.orderNo)
    return now.length > 0 && nos.every((no) => !now.includes(no))
  }, chosen)
  await page.screenshot({ path: `${shots}/12-bulk.png`, fullPage: false })

  // 設定: the demo profile's 接続テスト is a real authenticated call to the sandbox.
  await page.getByTestId('nav-settings').click()
  await page.getByTestId('profile-row').first().waitFor()
  await page.getByTestId('profile-test').first().click()
  const result = page.getByTestId('profile-test-result').first()
  await result.waitFor()
  assert.equal(await result.getAttribute('data-ok'), 'true', await result.textContent())
  assert.match(await result.textContent(), /接続できました/)

  // A profile with a malformed host is refused in Japanese and nothing is saved.
  const before = await page.getByTestId('profile-row').count()
  await page.getByTestId('profile-add').click()
  await page.getByTestId('profile-name').fill('GMO-PG テスト')
  await page.getByTestId('profile-host').fill('http://example.com')
  await page.getByTestId('profile-merchant').fill('tshop0001')
  await page.getByTestId('profile-secret-shop_pass').fill('abc12345')
  await page.getByTestId('profile-save').click()
  assert.match(await page.getByTestId('error-message').textContent(), /https/)
  assert.equal(await page.getByTestId('profile-row').count(), before)
  await page.screenshot({ path: `${shots}/11-settings.png`, fullPage: true })

  // A backup appears in the list.
  await page.getByTestId('settings-nav-backup').click()
  await page.getByTestId('backup-now').click()
  await page.getByTestId('backup-row').first().waitFor()

  assert.deepEqual(pageErrors, [], 'no script errors in the page')
  console.log('e2e work lists and settings: OK')
} catch (e) {
  await page.screenshot({ path: `${shots}/failure-work.png`, fullPage: true }).catch(() => {})
  throw e
} finally {
  await browser.close()
}
