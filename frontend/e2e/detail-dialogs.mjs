// End to end in a real browser at 1366×768 (issue 15): open an order from 売上待ち,
// change its 対応状況 to 発送済み, capture it keeping 発送済み; capture another with the
// keyboard only; a gateway that stops answering (the dev build's SandboxConsole makes the
// demo sandbox time out) turns the dialog into the 結果不明 panel at once, and the page
// behind it shows the payment locked with 照会 offered, which then settles it.
// Screenshots of 受注詳細 and a dialog at 1366×768 and 1920×1080, light and dark.
import assert from 'node:assert/strict'
import { demoShop, open, shots } from './lib/browser.mjs'

const { browser, page, pageErrors } = await open({ width: 1366, height: 768, timeout: 30000 })

// toCapture lists 売上待ち through the bound method (the same rows the work list shows).
const toCapture = () => page.evaluate(() => window.go.app.Work.List('to_capture'))

async function goWork() {
  await page.getByTestId('nav-work').click()
  await page.getByTestId('work-list-to_capture').waitFor()
}

async function openFromWork(orderNo) {
  await goWork()
  const row = page.locator(`[data-testid=result-row][data-order-no="${orderNo}"]`)
  await row.scrollIntoViewIfNeeded()
  await row.click()
  await page.getByTestId('order-no').filter({ hasText: orderNo }).waitFor()
}

async function shot(name, { width, height, dark }) {
  await page.setViewportSize({ width, height })
  await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' })
  await page.waitForTimeout(150)
  await page.screenshot({ path: `${shots}/${name}-${width}x${height}-${dark ? 'dark' : 'light'}.png` })
}

try {
  await demoShop(page)
  await page.waitForFunction(() => window.go?.app?.Work?.List && window.go?.app?.SandboxConsole?.Timeouts, null, { timeout: 15000 })
  const rows = await toCapture()
  const gmo = rows.filter((r) => r.gateway === 'gmo' && !r.inFlight)
  assert.ok(gmo.length >= 3, 'the demo shop has GMO-PG orders to capture')
  const [first, second, third] = gmo

  // 1. Open → 対応状況 発送済み → 売上 keeping 発送済み.
  await openFromWork(first.orderNo)
  assert.equal(await page.getByTestId('payment-state').getAttribute('data-state'), 'authorized')
  for (const size of [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }]) {
    for (const dark of [false, true]) await shot('detail', { ...size, dark })
  }
  await page.setViewportSize({ width: 1366, height: 768 })
  await page.emulateMedia({ colorScheme: 'light' })
  // The journal table does not wrap its short columns at 1366 px.
  const wrapped = await page.evaluate(() => [...document.querySelectorAll('table.journal td.nowrap')].some((td) => td.scrollHeight > 40))
  assert.equal(wrapped, false)

  await page.getByTestId('status-select').selectOption('shipped')
  await page.getByTestId('status-save').click()
  await page.getByTestId('status-confirm').waitFor()
  await page.getByTestId('status-confirm-yes').click()
  await page.waitForFunction(() => document.querySelector('[data-testid=order-status]')?.dataset.state === 'shipped')
  assert.match(await page.getByTestId('notice').textContent(), /発送済み/)
  assert.ok(await page.getByTestId('history-row').count() >= 1, 'the change is in the history')

  await page.getByTestId('action-capture').click()
  await page.getByTestId('action-preview').waitFor()
  assert.ok(await page.getByTestId('capture-status-shipped').isChecked(), 'a shipped order is captured as shipped')
  await page.getByTestId('preview-status').filter({ hasText: '発送済み' }).waitFor()
  for (const size of [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }]) {
    for (const dark of [false, true]) await shot('dialog-capture', { ...size, dark })
  }
  await page.setViewportSize({ width: 1366, height: 768 })
  await page.emulateMedia({ colorScheme: 'light' })
  await page.getByTestId('confirm-submit').click()
  await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' })
  await page.waitForFunction(() => document.querySelector('[data-testid=payment-state]')?.dataset.state === 'captured')
  assert.equal(await page.getByTestId('order-status').getAttribute('data-state'), 'shipped')
  assert.equal(await page.getByTestId('action-capture').count(), 0, 'no stale 売上 offered')
  assert.equal(await page.getByTestId('journal-row').count(), 1)

  // 2. Keyboard only: Tab to the order in the list, Enter; Tab to 売上, Enter; Ctrl+Enter.
  await goWork()
  await page.locator(`[data-testid=result-row][data-order-no="${second.orderNo}"]`).waitFor()
  const tabTo = async (test, max = 400) => {
    for (let i = 0; i < max; i++) {
      if (await page.evaluate(test)) return
      await page.keyboard.press('Tab')
    }
    throw new Error('not reached with Tab')
  }
  await tabTo(`document.activeElement?.dataset?.orderNo === ${JSON.stringify(second.orderNo)}`)
  await page.keyboard.press('Enter')
  await page.getByTestId('order-no').filter({ hasText: second.orderNo }).waitFor()
  await tabTo(`document.activeElement?.dataset?.testid === 'action-capture'`)
  await page.keyboard.press('Enter')
  await page.getByTestId('action-preview').waitFor()
  assert.ok(await page.evaluate(() => document.querySelector('[data-testid=confirm-dialog]').contains(document.activeElement)), 'focus is in the dialog')
  await page.keyboard.press('Tab') // focus stays inside
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  assert.ok(await page.evaluate(() => document.querySelector('[data-testid=confirm-dialog]').contains(document.activeElement)), 'focus stays in the dialog')
  await page.keyboard.press('Control+Enter')
  await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' })
  await page.waitForFunction(() => document.querySelector('[data-testid=payment-state]')?.dataset.state === 'captured')
  assert.equal(await page.getByTestId('order-status').getAttribute('data-state'), 'paid')

  // 3. The gateway stops answering: 結果不明 at once, the page refreshed behind.
  await openFromWork(third.orderNo)
  await page.evaluate((no) => window.go.app.SandboxConsole.Timeouts(no, 2, 2500), third.orderNo)
  await page.getByTestId('action-capture').click()
  await page.getByTestId('action-preview').waitFor()
  await page.getByTestId('confirm-submit').click()
  await page.getByTestId('action-stage').waitFor()
  const panel = page.getByTestId('unknown-panel')
  await panel.waitFor({ timeout: 10000 })
  assert.match(await panel.textContent(), /照会/)
  await shot('dialog-unknown', { width: 1366, height: 768, dark: false })
  // The run ends unknown (the inquiry timed out too): the panel says what happens next.
  await page.waitForFunction(() => /ゲートウェイに確認する/.test(document.querySelector('[data-testid=unknown-panel]')?.textContent ?? ''), null, { timeout: 15000 })
  assert.doesNotMatch(await page.getByTestId('confirm-dialog').textContent(), /AlterTran|SearchTrade|idPass/)
  assert.equal(await page.getByTestId('confirm-submit').count(), 0)
  await page.getByTestId('confirm-cancel').click()
  await page.getByTestId('in-flight').waitFor()
  assert.equal(await page.getByTestId('action-capture').count(), 0, 'no action offered while the outcome is unknown')
  assert.equal(await page.getByTestId('journal-row').first().getAttribute('data-state'), 'unknown')
  await shot('detail-unknown', { width: 1366, height: 768, dark: false })
  await page.evaluate((no) => window.go.app.SandboxConsole.Timeouts(no, 0, 0), third.orderNo)
  // 照会: the sale had reached the gateway.
  await page.getByTestId('resolve-panel').click()
  await page.waitForFunction(() => document.querySelector('[data-testid=payment-state]')?.dataset.state === 'captured')
  assert.equal(await page.getByTestId('journal-row').first().getAttribute('data-state'), 'succeeded')

  assert.deepEqual(pageErrors, [], 'no script errors in the page')
  console.log(`e2e detail-dialogs: ${first.orderNo} shipped and captured, ${second.orderNo} captured by keyboard, ${third.orderNo} unknown then settled; OK`)
} catch (e) {
  await page.screenshot({ path: `${shots}/failure-detail.png`, fullPage: true }).catch(() => {})
  throw e
} finally {
  await browser.close()
}
