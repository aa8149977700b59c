// End to end, a real shop's path in a real browser: "start with my shop" → a GMO-PG
// profile pointing at the sandbox (`kessaidesk sandbox -json -shop DIR`, whose JSON
// build/scripts/e2e.sh passes in E2E_SANDBOX_JSON) with the MakeShop link rule → the
// sample shop's MakeShop order CSV imported through 受注取込 (path typed: the OS dialog
// cannot be driven) → preview → 取り込む → 連携を実行 → a 仮売上 order captured to
// 実売上 → CSV出力 of the orders to a typed path. Screenshots at each step (E2E_SHOTS).
//
// Best run on a fresh data folder. On a folder where the demo shop was chosen by an
// earlier script, the demo is removed first (Settings › デモデータを削除), so run this
// after the scripts that need the demo.
import assert from 'node:assert/strict'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { open, openSearchForm, url } from './lib/browser.mjs'

const shots = resolve(process.env.E2E_SHOTS || '.')
const exportDir = resolve(process.env.E2E_EXPORT_DIR || shots)
assert.ok(process.env.E2E_SANDBOX_JSON, 'E2E_SANDBOX_JSON is not set (the JSON of `kessaidesk sandbox -json -shop DIR`)')
const sandbox = JSON.parse(readFileSync(process.env.E2E_SANDBOX_JSON, 'utf8'))
const gmo = sandbox.gmo
assert.ok(gmo?.url && gmo?.shopId && gmo?.shopPass, `no gmo {url, shopId, shopPass} in ${process.env.E2E_SANDBOX_JSON}`)
const files = Array.isArray(sandbox.shop?.files) ? sandbox.shop.files : Object.values(sandbox.shop?.files ?? {})
const csv = files.find((f) => String(f).endsWith('makeshop-gmo.csv')) ?? (sandbox.shop?.dir && join(sandbox.shop.dir, 'makeshop-gmo.csv'))
assert.ok(csv && existsSync(csv), `the sample shop's makeshop-gmo.csv is missing (shop: ${JSON.stringify(sandbox.shop)})`)

// The smallest screen the operators have.
const { browser, page, pageErrors } = await open({ width: 1366, height: 768 })
const shot = (name) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true })
const text = async (testId) => (await page.getByTestId(testId).first().textContent()) ?? ''

try {
  // First start: my shop, no demo data.
  await page.goto(url)
  await page.locator('[data-testid=welcome], [data-testid=search-form]').first().waitFor()
  if (await page.getByTestId('welcome').isVisible()) {
    await shot('20-welcome')
    await page.getByTestId('welcome-own').click()
    await page.getByTestId('getting-started').waitFor()
    assert.equal(await page.getByTestId('demo-mode').count(), 0, 'no demo shop')
    await shot('21-getting-started')
  } else if (await page.getByTestId('demo-mode').count() > 0) {
    console.log('e2e own shop: the demo shop was chosen on this data folder earlier; removing it first')
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('remove-demo').click()
    await page.getByTestId('remove-demo-confirm').click()
    await page.getByTestId('notice').waitFor()
    await page.waitForFunction(() => !document.querySelector('[data-testid=demo-mode]'))
  }

  // ① ゲートウェイ設定: a GMO-PG profile on the sandbox, MakeShop's id rule.
  await page.getByTestId('nav-settings').click()
  await page.getByTestId('profile-add').click()
  await page.getByTestId('profile-name').fill('GMO-PG（サンドボックス）')
  await page.getByTestId('profile-kind').selectOption('gmo')
  await page.getByTestId('profile-env').selectOption('test')
  await page.getByTestId('profile-host').fill(gmo.url)
  await page.getByTestId('profile-merchant').fill(gmo.shopId)
  await page.getByTestId('profile-secret-shop_pass').fill(gmo.shopPass)
  await page.getByTestId('profile-method-card').check()
  await page.getByTestId('link-rule-preset').selectOption('makeshop')
  assert.match(await text('link-rule-example'), /-1 〜/, 'the MakeShop rule tries the re-payment suffixes')
  await shot('22-profile-form')
  await page.getByTestId('profile-save').click()
  await page.getByTestId('profile-form').waitFor({ state: 'detached' })
  const row = page.getByTestId('profile-row').filter({ hasText: 'GMO-PG（サンドボックス）' })
  await row.getByTestId('profile-test').click()
  const tested = row.getByTestId('profile-test-result')
  await tested.waitFor()
  assert.equal(await tested.getAttribute('data-ok'), 'true', await tested.textContent())
  assert.match(await row.textContent(), /再決済番号|-1/, 'the saved rule is shown in words')
  await shot('23-profile-saved')

  // ② 受注取込: the MakeShop CSV by its path.
  await page.getByTestId('nav-import').click()
  await page.getByTestId('import-file-path').fill(csv)
  await page.getByTestId('import-file-load').click()
  await page.getByTestId('import-file-info').waitFor()
  assert.match(await text('import-file-name'), /makeshop-gmo\.csv/)
  const layout = page.getByTestId('import-layout')
  if (!/makeshop/i.test(await layout.inputValue())) {
    const option = layout.locator('option', { hasText: 'MakeShop' }).first()
    await layout.selectOption(await option.getAttribute('value'))
  }
  await shot('24-import-file')
  await page.getByTestId('import-preview').click()
  const preview = page.getByTestId('import-preview-result')
  await preview.waitFor()
  const problems = await page.getByTestId('import-problem').allTextContents()
  assert.equal(await preview.getAttribute('data-ok'), 'true', `the preview refuses the file: ${problems.join(' / ')}`)
  const fresh = Number(await page.getByTestId('import-count-new').getAttribute('data-count'))
  assert.ok(fresh >= 5, `new orders in the preview: ${fresh}`)
  assert.equal(Number(await page.getByTestId('import-count-invalid').getAttribute('data-count')), 0)
  await shot('25-import-preview')
  await page.getByTestId('import-commit').click()
  const imported = page.getByTestId('import-result')
  await imported.waitFor()
  assert.match(await imported.textContent(), new RegExp(`新規 ${fresh}件`))
  assert.match(await imported.textContent(), /連携待ち [1-9]\d*件/)
  await shot('26-import-done')

  // ③ 連携: every waiting order looked up at the sandbox (SearchTrade; -1 for the re-paid one).
  await imported.getByTestId('link-start').click()
  const linked = imported.getByTestId('link-result')
  await linked.waitFor({ timeout: 60000 })
  const linkText = await linked.textContent()
  assert.match(linkText, /連携 [1-9]\d*件/, linkText)
  await shot('27-linked')
  await imported.getByTestId('import-open-unlinked').click()
  await page.getByTestId('work-list-unlinked').waitFor()
  await page.locator('[data-testid=unlinked-table], [data-testid=unlinked-empty]').first().waitFor()
  await shot('28-unlinked')

  // An imported 仮売上 order: 売上 → 実売上.
  await page.getByTestId('nav-orders').click()
  // No filter is set yet (the list opens on every order): fold out the full form.
  await openSearchForm(page)
  await page.getByTestId('search-payment-state-authorized').check()
  await page.getByTestId('search-submit').click()
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid=result-row]')]
    return rows.length > 0 && rows.every((r) => r.textContent.includes('仮売上'))
  })
  const order = page.getByTestId('result-row').first()
  const orderNo = await order.getAttribute('data-order-no')
  assert.match(orderNo, /^P\d+/, `a MakeShop order number: ${orderNo}`)
  await order.click()
  await page.getByTestId('order-no').filter({ hasText: orderNo }).waitFor()
  assert.equal(await page.getByTestId('payment-state').getAttribute('data-state'), 'authorized')
  assert.equal(await page.getByTestId('demo-badge').count(), 0, 'a real (not demo) payment')
  await shot('29-order')
  await page.getByTestId('action-capture').click()
  await page.getByTestId('action-preview').waitFor()
  await page.getByTestId('confirm-submit').click()
  await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' })
  await page.waitForFunction(() => document.querySelector('[data-testid=payment-state]')?.dataset.state === 'captured')
  assert.equal(await page.getByTestId('journal-row').count(), 1, 'exactly one journal entry')
  assert.equal(await page.getByTestId('journal-row').first().getAttribute('data-state'), 'succeeded')
  await shot('30-captured')

  // CSV出力 of every order, Shift_JIS, to a typed path.
  await page.getByTestId('back').click()
  await page.getByTestId('search-clear').click()
  await page.getByTestId('result-row').first().waitFor()
  await page.getByTestId('export-open').click()
  await page.getByTestId('export-dialog').waitFor()
  await page.getByTestId('export-enc-cp932').check()
  const out = join(exportDir, 'own-shop-orders.csv')
  await page.getByTestId('export-path').fill(out)
  await page.getByTestId('export-submit').click()
  const exported = page.getByTestId('export-result')
  await exported.waitFor({ timeout: 60000 })
  assert.equal(await exported.getAttribute('data-path'), out)
  assert.ok(existsSync(out) && statSync(out).size > 0, `the export file ${out}`)
  assert.ok(readFileSync(out).includes(Buffer.from(orderNo, 'ascii')), `the export has order ${orderNo}`)
  await shot('31-exported')
  await page.getByTestId('export-close').click()

  assert.deepEqual(pageErrors, [], 'no script errors in the page')
  console.log(`e2e own shop: ${fresh} orders imported, linked (${linkText.trim()}), ${orderNo} captured, exported to ${out}; OK`)
} catch (e) {
  await page.screenshot({ path: `${shots}/failure-own-shop.png`, fullPage: true }).catch(() => {})
  if (pageErrors.length > 0) console.error(`script errors in the page:\n${pageErrors.join('\n')}`)
  throw e
} finally {
  await browser.close()
}
