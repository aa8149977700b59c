// End to end in a real browser: an authorisation is cancelled in the gateway's own
// console behind the app's back (through the dev build's SandboxConsole door into the
// demo sandbox — release builds have no such door); after 今すぐ同期 the window alerts,
// the order is on 「出荷を止める」 and the payment in 差異, with both sides; the operator's
// キャンセルにする cancels the order without sending anything to the gateway.
import assert from 'node:assert/strict'
import { demoShop, open, shots } from './lib/browser.mjs'

const { browser, page, pageErrors } = await open({ width: 1360, height: 880, timeout: 30000 })

try {
  await demoShop(page)

  // An order not shipped whose card is authorised: 新規受付 and 仮売上.
  await page.getByTestId('search-status-new').check()
  await page.getByTestId('search-payment-state-authorized').check()
  await page.getByTestId('search-submit').click()
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid=result-row]')]
    return rows.length > 0 && rows.every((r) => r.textContent.includes('新規受付') && r.textContent.includes('仮売上'))
  })
  const rows = page.getByTestId('result-row')
  const orderNo = await rows.nth((await rows.count()) - 1).getAttribute('data-order-no')

  // The shop's operator cancels it in the gateway's console: the app is not told.
  await page.waitForFunction(() => window.go?.app?.SandboxConsole?.Cancel, null, { timeout: 15000 })
  await page.evaluate((no) => window.go.app.SandboxConsole.Cancel(no), orderNo)

  // 今すぐ同期: the alert names the order.
  await page.getByTestId('nav-work').click()
  await page.getByTestId('sync-panel').waitFor()
  await page.getByTestId('sync-now').click()
  const toast = page.locator('.toast')
  await toast.filter({ hasText: orderNo }).waitFor()
  assert.match(await toast.textContent(), /出荷を止めてください/)
  await page.waitForFunction(() => !document.querySelector('[data-testid=sync-now]').disabled)

  // 出荷を止める lists it with what the gateway did.
  const tab = page.getByTestId('work-tab-stop_shipping')
  await page.waitForFunction(() => /[1-9]/.test(document.querySelector('[data-testid=work-tab-stop_shipping] .count')?.textContent ?? ''))
  await tab.click()
  const hold = page.locator(`[data-testid=hold-row][data-order-no="${orderNo}"]`)
  await hold.waitFor()
  assert.match(await hold.textContent(), /新規受付/)
  assert.match(await hold.textContent(), /取消|返品/)
  assert.match(await page.getByTestId('work-list-stop_shipping').textContent(), /発送しないでください/)
  await page.screenshot({ path: `${shots}/20-stop-shipping.png`, fullPage: true })

  // 差異 shows both sides and the stop-shipping answer on the row.
  await page.getByTestId('work-tab-drifts').click()
  const drift = page.locator(`[data-testid=drift-row][data-order-no="${orderNo}"]`)
  await drift.waitFor()
  assert.match(await drift.textContent(), /仮売上/)
  assert.match(await drift.textContent(), /取消|返品/)
  await drift.getByTestId('drift-hold').waitFor()
  await page.screenshot({ path: `${shots}/21-drifts.png`, fullPage: true })

  // キャンセルにする: the order is cancelled; it leaves both lists.
  await page.getByTestId('work-tab-stop_shipping').click()
  await hold.getByTestId('hold-cancel').click()
  await page.getByRole('status').filter({ hasText: `受注 ${orderNo} をキャンセルにしました` }).waitFor()
  await hold.waitFor({ state: 'detached' })
  await page.getByTestId('work-tab-drifts').click()
  await page.getByTestId('drifts').waitFor()
  assert.equal(await drift.count(), 0, 'the difference is settled')
  await page.screenshot({ path: `${shots}/22-cancelled.png`, fullPage: true })

  // The order says so, with the operator's journal entry.
  await page.getByTestId('nav-orders').click()
  await page.getByTestId('search-clear').click()
  await page.getByTestId('search-order-from').fill(orderNo)
  await page.getByTestId('search-order-to').fill(orderNo)
  await page.getByTestId('search-submit').click()
  const row = page.locator(`[data-testid=result-row][data-order-no="${orderNo}"]`)
  await row.waitFor()
  await page.waitForFunction((no) => document.querySelector(`[data-testid=result-row][data-order-no="${no}"]`)?.textContent.includes('キャンセル'), orderNo)
  await row.click()
  await page.getByTestId('order-no').filter({ hasText: orderNo }).waitFor()
  await page.getByTestId('journal-row').first().waitFor()
  assert.match(await page.getByTestId('journal-row').first().textContent(), /出荷を止める|ゲートウェイの状態/)
  await page.screenshot({ path: `${shots}/23-order.png`, fullPage: true })

  assert.deepEqual(pageErrors, [], 'no script errors in the page')
  console.log('e2e console cancel: OK')
} catch (e) {
  await page.screenshot({ path: `${shots}/failure-console.png`, fullPage: true }).catch(() => {})
  throw e
} finally {
  await browser.close()
}
