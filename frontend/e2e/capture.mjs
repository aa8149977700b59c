// End to end in a real browser: the dev-tagged app runs on a fresh demo data folder
// under Xvfb (build/scripts/e2e.sh); Chromium drives its dev server. The operator
// searches for 山田 with 仮売上, opens the order, presses 売上 (twice, fast) and sees
// 実売上 and 入金済み with exactly one journal entry; a wrong amount gets a Japanese
// message and changes nothing.
import assert from 'node:assert/strict'
import { demoShop, open, shots } from './lib/browser.mjs'

const { browser, page, pageErrors } = await open({ width: 1360, height: 880, timeout: 20000 })

try {
  await demoShop(page)
  await page.getByTestId('result-row').first().waitFor()
  await page.screenshot({ path: `${shots}/01-orders.png`, fullPage: true })

  // 受注検索: name 山田, 決済状況 仮売上.
  await page.getByTestId('search-name').fill('山田')
  await page.getByTestId('search-payment-state-authorized').check()
  await page.getByTestId('search-submit').click()
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid=result-row]')]
    return rows.length > 0 && rows.every((r) => r.textContent.includes('山田') && r.textContent.includes('仮売上'))
  })
  const row = page.getByTestId('result-row').first()
  const orderNo = await row.getAttribute('data-order-no')
  await page.screenshot({ path: `${shots}/02-search.png`, fullPage: true })
  await row.click()

  // 受注詳細.
  await page.getByTestId('order-no').filter({ hasText: orderNo }).waitFor()
  assert.equal(await page.getByTestId('payment-state').getAttribute('data-state'), 'authorized')
  assert.equal(await page.getByTestId('journal-row').count(), 0)

  // A wrong amount for 金額変更: a Japanese message, nothing sent, nothing changed.
  await page.getByTestId('action-change_amount').click()
  await page.getByTestId('action-amount').fill('-100')
  await page.getByTestId('action-check').click()
  const err = await page.getByTestId('error-message').textContent()
  assert.match(err, /金額/, `a Japanese message about the amount, got: ${err}`)
  assert.ok(await page.getByTestId('confirm-submit').isDisabled())
  await page.getByTestId('confirm-cancel').click()
  assert.equal(await page.getByTestId('journal-row').count(), 0)
  assert.equal(await page.getByTestId('payment-state').getAttribute('data-state'), 'authorized')

  // 売上, double-clicked.
  await page.getByTestId('action-capture').click()
  await page.getByTestId('action-preview').waitFor()
  assert.match(await page.getByTestId('confirm-dialog').textContent(), /入金済み/)
  await page.screenshot({ path: `${shots}/03-confirm.png`, fullPage: true })
  await page.getByTestId('confirm-submit').dblclick()
  await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' })
  await page.waitForFunction(() => document.querySelector('[data-testid=payment-state]')?.dataset.state === 'captured')
  assert.equal(await page.getByTestId('order-status').getAttribute('data-state'), 'paid')
  assert.match(await page.getByTestId('order-status').textContent(), /入金済み/)
  assert.equal(await page.getByTestId('journal-row').count(), 1, 'exactly one journal entry')
  assert.equal(await page.getByTestId('journal-row').first().getAttribute('data-state'), 'succeeded')
  await page.screenshot({ path: `${shots}/04-captured.png`, fullPage: true })

  // Back in the list the order shows its new states.
  await page.getByTestId('back').click()
  await page.getByTestId('search-order-from').fill(orderNo)
  await page.getByTestId('search-order-to').fill(orderNo)
  await page.getByTestId('search-name').fill('')
  await page.getByTestId('search-payment-state-authorized').uncheck()
  await page.getByTestId('search-submit').click()
  await page.waitForFunction((no) => {
    const rows = [...document.querySelectorAll('[data-testid=result-row]')]
    return rows.length === 1 && rows[0].dataset.orderNo === no && rows[0].textContent.includes('実売上') && rows[0].textContent.includes('入金済み')
  }, orderNo)

  assert.deepEqual(pageErrors, [], 'no script errors in the page')
  console.log(`e2e capture: order ${orderNo} captured once; OK`)
} catch (e) {
  await page.screenshot({ path: `${shots}/failure.png`, fullPage: true }).catch(() => {})
  throw e
} finally {
  await browser.close()
}
