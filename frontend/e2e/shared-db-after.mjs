// End to end, after shared-db.mjs moved its folder to the test server (issue 18): the
// app started again by build/scripts/e2e.sh on the same folder.
//   E2E_PHASE=shared:  the window opens on the server — no first-start question (the
//                      shop's choice travelled with it), the 共有 chip names the database,
//                      設定 → 共有データベース says the orders are on the server.
//   E2E_PHASE=offline: the folder points at a port nobody listens on — the window still
//                      opens, on the last copy, read-only: the banner says why and offers
//                      再接続, and the section says offline.
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { open, url } from './lib/browser.mjs'

const phase = process.env.E2E_PHASE
assert.ok(phase === 'shared' || phase === 'offline', `E2E_PHASE=${phase}`)
const shots = resolve(process.env.E2E_SHOTS || '.')
const { browser, page, pageErrors } = await open({ width: 1366, height: 900 })
const shot = (name) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true })

try {
  await page.goto(url)
  await page.locator('[data-testid=welcome], [data-testid=home], [data-testid=search-form]').first().waitFor()
  assert.equal(await page.getByTestId('welcome').count(), 0, 'no first-start question: the shop is on the server')
  if (phase === 'shared') {
    const chip = page.getByTestId('shared-chip')
    await chip.waitFor()
    assert.match(await chip.textContent(), /e2e_shared_/)
    assert.equal(await page.getByTestId('offline-banner').count(), 0)
  } else {
    const banner = page.getByTestId('offline-banner')
    await banner.waitFor()
    assert.match(await banner.textContent(), /共有データベースに接続できません/)
    assert.match(await page.getByTestId('offline-reason').textContent(), /接続できません/)
    assert.equal(await page.getByTestId('offline-reconnect').isEnabled(), true)
  }
  await shot(`63-shared-db-${phase}-home`)
  await page.getByTestId('nav-settings').click()
  await page.getByTestId('settings-nav-shared').click()
  const where = page.getByTestId('shared-where')
  await where.waitFor()
  assert.equal(await where.getAttribute('data-mode'), phase)
  await shot(`64-shared-db-${phase}-settings`)
  assert.deepEqual(pageErrors, [])
  console.log(`e2e shared-db (${phase}): ok`)
} catch (e) {
  await shot(`6x-shared-db-${phase}-failure`).catch(() => {})
  throw e
} finally {
  await browser.close()
}
