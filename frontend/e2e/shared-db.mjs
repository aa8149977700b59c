// End to end, 設定 → 共有データベース against a real PostgreSQL server (issue 18): a new
// data folder ("start with my shop") → the section says the orders are on this PC →
// a connection test with a wrong password says so → the test with TLS verified
// (verify-full, the server's CA file, the name localhost) finds an empty database →
// 「このPCの受注をサーバーへ移す」 behind its confirm → the per-table counts → the server
// holds Kessai Desk's schema. It stops before the restart (the window would close).
//
// Needs a server: run it under build/scripts/pg.sh, which sets KESSAIDESK_TEST_PG (and
// KESSAIDESK_TEST_PG_CA); without it the script says so and does nothing. It needs a
// data folder of its own (it moves the folder to the server):
//   build/scripts/pg.sh run env E2E_ONLY=frontend/e2e/shared-db.mjs build/scripts/e2e.sh
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { open, url } from './lib/browser.mjs'

const dsn = process.env.KESSAIDESK_TEST_PG
if (!dsn) {
  console.log('e2e shared-db: skipped (no KESSAIDESK_TEST_PG: run under build/scripts/pg.sh)')
  process.exit(0)
}
const ca = process.env.KESSAIDESK_TEST_PG_CA ?? ''
const server = new URL(dsn)
const database = `e2e_shared_${Date.now()}`
const psql = (db, sql) => {
  const u = new URL(dsn)
  u.pathname = `/${db}`
  return execFileSync('psql', [u.toString(), '-XAtc', sql], { encoding: 'utf8' }).trim()
}
psql('postgres', `CREATE DATABASE ${database}`)

const shots = resolve(process.env.E2E_SHOTS || '.')
const { browser, page, pageErrors } = await open({ width: 1366, height: 900 })
const shot = (name) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true })

try {
  await page.goto(url)
  await page.locator('[data-testid=welcome], [data-testid=home], [data-testid=search-form]').first().waitFor()
  if (await page.getByTestId('welcome').isVisible()) await page.getByTestId('welcome-own').click()
  await page.getByTestId('nav-settings').click()
  if (await page.getByTestId('demo-mode').count() > 0) {
    // The demo shop cannot be moved, and the scripts after this one expect the folder on this PC.
    console.log('e2e shared-db: skipped (the demo shop is on this data folder: run it on a folder of its own, E2E_ONLY)')
    process.exitCode = 0
  } else {
    await page.getByTestId('settings-nav-shared').click()
    const where = page.getByTestId('shared-where')
    await where.waitFor()
    assert.equal(await where.getAttribute('data-mode'), 'local')
    assert.match(await page.getByTestId('shared-mode').textContent(), /このPCのデータベース/)
    assert.equal(await page.getByTestId('shared-chip').count(), 0)

    await page.getByTestId('shared-host').fill('localhost') // the certificate's name
    await page.getByTestId('shared-port').fill(server.port)
    await page.getByTestId('shared-database').fill(database)
    await page.getByTestId('shared-user').fill(decodeURIComponent(server.username))
    if (ca) await page.getByTestId('shared-ca').fill(ca)
    else await page.getByTestId('shared-ssl-disable').check() // a server without TLS: only to this PC

    // A wrong password: the server's refusal in words, nothing else.
    await page.getByTestId('shared-password').fill('wrong-password')
    await page.getByTestId('shared-test').click()
    const refusal = page.getByTestId('error-message')
    await refusal.waitFor()
    assert.match(await refusal.textContent(), /ユーザー名またはパスワードが違います/)
    assert.doesNotMatch(await refusal.textContent(), /wrong-password/)
    assert.equal(await page.getByTestId('shared-actions').count(), 0)

    await page.getByTestId('shared-password').fill(decodeURIComponent(server.password))
    await page.getByTestId('shared-test').click()
    const result = page.getByTestId('shared-test-result')
    await result.waitFor()
    assert.equal(await result.getAttribute('data-schema'), 'empty')
    const said = await result.textContent()
    assert.match(said, /接続できました（PostgreSQL \d+/)
    assert.match(said, ca ? /暗号化: あり/ : /暗号化: なし/)
    assert.match(said, /空のデータベースです/)
    await shot('60-shared-db-tested')

    await page.getByTestId('shared-move').click()
    const confirm = page.getByTestId('shared-confirm')
    await confirm.waitFor()
    assert.match(await confirm.textContent(), new RegExp(`localhost:${server.port}/${database} へコピーします`))
    await shot('61-shared-db-confirm')
    await page.getByTestId('shared-confirm-yes').click()
    const done = page.getByTestId('shared-done')
    await done.waitFor({ timeout: 120000 })
    assert.match(await page.getByTestId('shared-notice').textContent(), /へ移しました。表ごとの行数はすべて一致しています/)
    const tables = await page.getByTestId('shared-count').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-table')))
    assert.ok(tables.includes('orders') && tables.includes('payments'), `counts per table: ${tables}`)
    assert.match(await page.getByTestId('shared-restart').textContent(), /再起動して共有データベースを使う/)
    await shot('62-shared-db-moved')

    // The server holds Kessai Desk's schema now, and this PC's settings (no orders: a new shop).
    assert.ok(Number(psql(database, 'SELECT count(*) FROM schema_migrations')) > 0, 'the schema on the server')
    assert.equal(psql(database, 'SELECT count(*) FROM orders'), '0')
    assert.deepEqual(pageErrors, [])
    console.log(`e2e shared-db: ok (${tables.length} tables moved to ${database})`)
  }
} catch (e) {
  await shot('6x-shared-db-failure').catch(() => {})
  throw e
} finally {
  await browser.close()
}
