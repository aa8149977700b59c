// English mode at 1366×768: every screen of the demo (ホーム, 受注管理 with its full form,
// 受注詳細, 取り込み, 作業リスト's tabs, 売上集計's tabs, 設定's sections) shows no Japanese
// but the shop's own data. Shop data is what the shop or its customers wrote: names, kana,
// addresses, product names, the names given to profiles, saved layouts and backups. It is
// recognised by where it stands — an element marked data-i18n-exempt, a table cell under a
// column of such data, a <dd> after such a label — so a label or a message that is still
// Japanese is never excused. Screenshots of each screen are taken in English. The language
// is set back to Japanese at the end (the demo scripts share one app).
import assert from 'node:assert/strict'
import { demoShop, open, shots } from './lib/browser.mjs'

const { browser, page, pageErrors } = await open({ width: 1366, height: 768 })

// Columns and fields whose values are the shop's data (their English headers).
const dataColumns = ['Customer', 'Customer name', 'Name', 'Product', 'Product name', 'Address', 'Delivery', 'Profile', 'File',
  'Backup', 'Operator', 'Variant', 'Shop', 'Kana', 'Recipient', 'By', 'Name (kana)', 'Gateway profile', 'Memo', 'Note']

// japaneseOnScreen lists the visible texts (and titles, placeholders, labels, options) that
// contain Japanese outside shop data, each with where it is.
// names: the names the shop gave its gateway profiles (read from 設定), taken out of a
// text before it is checked ("デモ (GMO-PG サンドボックス) (Paygent)" leaves " (Paygent)").
let names = []
async function japaneseOnScreen() {
  return page.evaluate(([dataColumns, names]) => {
    // kana, kanji, and Japanese punctuation and full-width forms (、。「」（）・)
    const jpChar = /[\u3000-\u30ff\u3400-\u9fff\uff01-\uff9f]/
    const jp = { test: (s) => jpChar.test(names.reduce((x, n) => x.split(n).join(''), s)) }
    const cols = new Set(dataColumns.map((s) => s.toLowerCase()))
    const visible = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
    const headerOf = (cell) => {
      const table = cell.closest('table, [role=table], [role=grid]')
      if (!table) return ''
      const row = cell.parentElement
      const index = [...row.children].indexOf(cell)
      const head = table.querySelector('thead tr, [role=row]:has([role=columnheader])')
      return head?.children[index]?.textContent?.trim() ?? ''
    }
    const exempt = (el) => {
      // the brand shows the app's other name; a language is named in its own language
      if (el.closest('[data-i18n-exempt], .brand, [data-testid=settings-language]')) return true
      const cell = el.closest('td, [role=cell], [role=gridcell]')
      if (cell && cols.has(headerOf(cell).toLowerCase())) return true
      const dd = el.closest('dd')
      if (dd) {
        const dt = dd.previousElementSibling
        if (dt && dt.tagName === 'DT' && cols.has(dt.textContent.trim().toLowerCase())) return true
      }
      return false
    }
    const where = (el) => {
      const id = el.closest('[data-testid]')?.getAttribute('data-testid') ?? ''
      return `${el.tagName.toLowerCase()}${id ? ` in [${id}]` : ''}`
    }
    const found = []
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement
      if (!el || !jp.test(n.textContent) || ['SCRIPT', 'STYLE', 'OPTION'].includes(el.tagName)) continue
      if (!visible(el) || exempt(el)) continue
      found.push(`${where(el)}: ${n.textContent.trim().slice(0, 80)}`)
    }
    for (const el of document.body.querySelectorAll('[title], [placeholder], [aria-label], select')) {
      if (!visible(el) || exempt(el)) continue
      for (const a of ['title', 'placeholder', 'aria-label']) {
        // a journal entry's hover shows the journal's own words, which it keeps in Japanese
        if (a === 'title' && el.closest('[data-testid=journal-row]')) continue
        const v = el.getAttribute(a)
        if (v && jp.test(v)) found.push(`${where(el)} @${a}: ${v.slice(0, 80)}`)
      }
      if (el.tagName === 'SELECT' && !el.hasAttribute('data-i18n-exempt')) {
        for (const o of el.options) if (jp.test(o.text) && !o.hasAttribute('data-i18n-exempt')) found.push(`${where(el)} option: ${o.text.slice(0, 80)}`)
      }
    }
    return found
  }, [dataColumns, names])
}

const problems = []
async function check(screen) {
  await page.waitForTimeout(300) // let the screen's last fetches land
  for (const p of await japaneseOnScreen()) problems.push(`${screen} — ${p}`)
}
const shot = (name) => page.screenshot({ path: `${shots}/en-${name}-1366.png` })

async function setLanguage(lang) {
  await page.getByTestId('nav-settings').click()
  if (await page.getByTestId('settings-nav-display').count()) await page.getByTestId('settings-nav-display').click()
  await page.getByTestId('settings-language').selectOption(lang)
  await page.waitForFunction((l) => document.documentElement.lang === l, lang)
}

try {
  await demoShop(page, { list: false })
  await setLanguage('en')
  assert.equal(await page.getByTestId('nav-settings').textContent(), 'Settings')
  await page.getByTestId('settings-nav-gateways').click()
  await page.getByTestId('profile-row').first().waitFor()
  names = await page.locator('[data-testid=profile-row] .profile-head strong').allTextContents()
  assert.ok(names.length >= 3, 'the demo has its three profiles')

  // ホーム
  await page.getByTestId('nav-home').click()
  await page.getByTestId('home-to-capture').waitFor()
  await check('Home')
  await shot('home')

  // 受注管理, full form folded out, with rows
  await page.getByTestId('nav-orders').click()
  await page.getByTestId('result-row').first().waitFor()
  if (!(await page.getByTestId('search-advanced-form').isVisible())) await page.getByTestId('search-advanced').click()
  await page.getByTestId('search-advanced-form').waitFor()
  await check('Orders')
  await shot('orders')
  await page.getByTestId('export-open').click()
  await page.getByTestId('export-dialog').waitFor()
  await check('Orders › CSV export dialog')
  await page.getByTestId('export-close').click()

  // 受注詳細 of an order with a payment
  await page.getByTestId('result-row').first().click()
  await page.getByTestId('order-no').waitFor()
  await check('Order')
  await shot('order')
  // its capture in English: the dialog, the progress, the notice and the journal entry
  // (the journal keeps Japanese; English mode shows its English account)
  if (await page.getByTestId('action-capture').count()) {
    await page.getByTestId('action-capture').click()
    await page.getByTestId('action-preview').waitFor()
    await check('Order › capture dialog')
    await shot('capture-dialog')
    await page.getByTestId('confirm-submit').click()
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' })
    await page.waitForFunction(() => document.querySelector('[data-testid=payment-state]')?.dataset.state === 'captured')
    await page.getByTestId('journal-row').first().waitFor()
    await check('Order › captured')
    await shot('order-captured')
    await page.getByTestId('journal-row').first().scrollIntoViewIfNeeded()
    await shot('order-journal')
    // the キャンセル it would now be: its preview only, nothing sent
    await page.getByTestId('action-cancel').click()
    await page.getByTestId('action-preview').waitFor()
    await check('Order › cancel dialog')
    await page.getByTestId('confirm-cancel').click()
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' })
  }
  await page.getByTestId('back').click()

  // 取り込み
  await page.getByTestId('nav-import').click()
  await page.waitForSelector('main section, main form')
  await check('Import')

  // 作業リスト, every tab
  await page.getByTestId('nav-work').click()
  await page.locator('[data-testid^=work-tab-]').first().waitFor()
  const workTabs = await page.locator('[data-testid^=work-tab-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))
  for (const id of workTabs) {
    await page.getByTestId(id).click()
    await check(`Work › ${id.replace('work-tab-', '')}`)
  }
  await shot('work')

  // 売上集計, every tab
  await page.getByTestId('nav-reports').click()
  await page.getByTestId('reports').waitFor()
  for (const tab of ['outstanding', 'deposits', 'fees', 'sales']) {
    await page.getByTestId(`report-tab-${tab}`).click()
    await page.waitForTimeout(500)
    await check(`Reports › ${tab}`)
  }
  await page.getByTestId('sales-table').waitFor()
  await shot('reports')
  await page.getByTestId('report-by-week').click()
  await page.waitForTimeout(500)
  await check('Reports › sales by week')
  await page.getByTestId('report-by-day').click()

  // 設定, every section
  await page.getByTestId('nav-settings').click()
  for (const s of ['sync', 'operator', 'display', 'backup', 'advanced', 'gateways']) {
    await page.getByTestId(`settings-nav-${s}`).click()
    await page.locator(`div[data-testid=settings-${s}]`).waitFor()
    await check(`Settings › ${s}`)
    if (s === 'advanced' && (await page.getByTestId('about-open').count())) {
      await page.getByTestId('about-open').click()
      await page.getByRole('dialog').waitFor()
      await check('Settings › about')
      await page.keyboard.press('Escape')
    }
    if (s !== 'gateways') await shot(`settings-${s}`)
  }
  await shot('settings')
} finally {
  if (problems.length) console.log(`Japanese in English mode so far:\n  ${problems.join('\n  ')}`)
  await setLanguage('ja').catch((e) => console.error('could not set Japanese back:', e))
  await browser.close()
}

console.log(problems.length ? `Japanese in English mode:\n  ${problems.join('\n  ')}` : 'english: no Japanese outside shop data')
assert.deepEqual(pageErrors, [], 'no script errors')
assert.deepEqual(problems, [], 'English mode shows Japanese outside shop data')
