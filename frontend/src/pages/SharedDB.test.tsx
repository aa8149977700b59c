import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import App from '../App'
import { ApiContext } from '../api'
import type { Api, Info, MoveReport, SharedDBStatus, SharedTestResult } from '../api'
import { LangContext } from '../i18n'
import { LinkRunner } from '../components/LinkRunner'
import { OfflineContext, sharedWhere } from '../offline'
import { emit, fakeApi } from '../test/fakeApi'
import { SharedDBSection, isLocalHost } from './SharedDB'

const serverForm = { host: 'db.example.jp', port: 5432, database: 'shop', user: 'kessai', password: '', sslMode: 'verify-full', caFile: '' }

function status(over: Partial<SharedDBStatus> = {}): SharedDBStatus {
  return {
    mode: 'local', database: '/home/shop/.kessaidesk/kessaidesk.db', form: null, hasPassword: false, offline: '', offlineEn: '',
    copyAt: '', operator: '佐藤', pc: 'OFFICE-PC', ...over,
  }
}

function testResult(over: Partial<SharedTestResult> = {}): SharedTestResult {
  return { serverVersion: '15.8', tls: true, schema: 'empty', migrations: 0, orders: 0, ...over }
}

// events captures what the section subscribes to, so a test can send a Go event.
function withEvents(api: Api) {
  const subs = new Map<string, (d: unknown) => void>()
  api.onEvent = vi.fn((name: string, cb: (d: unknown) => void) => {
    subs.set(name, cb)
    return () => subs.delete(name)
  })
  return (name: string, data: unknown) => act(() => subs.get(name)?.(data))
}

function renderSection(api: Api, lang: 'ja' | 'en' = 'ja') {
  return render(<ApiContext.Provider value={api}><LangContext.Provider value={lang}><SharedDBSection /></LangContext.Provider></ApiContext.Provider>)
}

async function fillForm(user: ReturnType<typeof userEvent.setup>, host = 'db.example.jp') {
  await user.type(await screen.findByTestId('shared-host'), host)
  await user.type(screen.getByTestId('shared-database'), 'shop')
  await user.type(screen.getByTestId('shared-user'), 'kessai')
  await user.type(screen.getByTestId('shared-password'), 'secret')
}

describe('設定 → 共有データベース: where the orders are', () => {
  it('local: this PC\'s database and its path, who operations are recorded as, what a shared database needs', async () => {
    const api = fakeApi({ sharedStatus: vi.fn(async () => status()) })
    renderSection(api)
    const where = await screen.findByTestId('shared-where')
    expect(where).toHaveAttribute('data-mode', 'local')
    expect(screen.getByTestId('shared-mode')).toHaveTextContent('このPCのデータベース')
    expect(where).toHaveTextContent('/home/shop/.kessaidesk/kessaidesk.db')
    expect(screen.getByTestId('shared-recorded')).toHaveTextContent('佐藤（PC: OFFICE-PC）')
    expect(where).toHaveTextContent('PostgreSQL 13以上')
    expect(where).toHaveTextContent('TLS')
    // nothing to stop sharing; the TLS default is verify-full; the port 5432
    expect(screen.queryByTestId('shared-stop')).not.toBeInTheDocument()
    expect(screen.getByTestId('shared-ssl-verify-full')).toBeChecked()
    expect(screen.getByTestId('shared-port')).toHaveValue('5432')
    expect(screen.queryByTestId('shared-actions')).not.toBeInTheDocument()
  })

  it('shared: the server, the form filled (password kept), copy back or leave', async () => {
    const api = fakeApi({ sharedStatus: vi.fn(async () => status({ mode: 'shared', database: 'kessai@db.example.jp:5432/shop', form: serverForm, hasPassword: true })) })
    renderSection(api)
    expect(await screen.findByTestId('shared-mode')).toHaveTextContent('共有データベース')
    expect(screen.getByTestId('shared-where')).toHaveTextContent('kessai@db.example.jp:5432/shop')
    expect(screen.getByTestId('shared-host')).toHaveValue('db.example.jp')
    expect(screen.getByTestId('shared-password')).toHaveValue('')
    expect(screen.getByTestId('shared-password')).toHaveAttribute('placeholder', expect.stringContaining('保存済み'))
    expect(screen.getByTestId('shared-to-local')).toHaveTextContent('サーバーの受注をこのPCへコピーして共有をやめる')
    expect(screen.getByTestId('shared-leave')).toHaveTextContent('共有をやめる（コピーしない）')
  })

  it('offline: the last copy read-only, when it was copied, why, and 再接続 restarts', async () => {
    const api = fakeApi({
      sharedStatus: vi.fn(async () => status({
        mode: 'offline', database: '/home/shop/.kessaidesk/shared-copy.db', form: serverForm, hasPassword: true,
        offline: 'kessai@db.example.jp:5432/shop: サーバーに接続できません', offlineEn: 'kessai@db.example.jp:5432/shop: cannot reach the server',
        copyAt: '2026-12-01T23:30:00Z',
      })),
    })
    const user = userEvent.setup()
    renderSection(api)
    expect(await screen.findByTestId('shared-mode')).toHaveTextContent('オフライン（最後のコピーを読み取り専用で表示中）')
    expect(screen.getByTestId('shared-copy')).toHaveTextContent('2026/12/02 08:30 にコピーしたものです')
    expect(screen.getByTestId('shared-why')).toHaveTextContent('理由: kessai@db.example.jp:5432/shop: サーバーに接続できません')
    expect(screen.getByTestId('shared-where')).toHaveTextContent('kessai@db.example.jp:5432/shop')
    // the server's orders cannot be copied from here; leaving is still possible
    expect(screen.queryByTestId('shared-to-local')).not.toBeInTheDocument()
    expect(screen.getByTestId('shared-leave')).toBeEnabled()
    await user.click(screen.getByTestId('shared-reconnect'))
    expect(api.restart).toHaveBeenCalled()
  })

  it('offline in English says why in English', async () => {
    const api = fakeApi({
      sharedStatus: vi.fn(async () => status({ mode: 'offline', form: serverForm, offline: 'サーバーに接続できません', offlineEn: 'cannot reach the server', copyAt: '' })),
    })
    renderSection(api, 'en')
    expect(await screen.findByTestId('shared-why')).toHaveTextContent('Why: cannot reach the server')
    expect(screen.getByTestId('shared-copy')).toHaveTextContent('There is no copy of the server yet')
  })
})

describe('設定 → 共有データベース: the connection test', () => {
  it('sends the form as typed (port a number) and says an empty database can take this PC\'s orders', async () => {
    const api = fakeApi({ sharedStatus: vi.fn(async () => status()), sharedTest: vi.fn(async () => testResult()) })
    const user = userEvent.setup()
    renderSection(api)
    await fillForm(user)
    await user.clear(screen.getByTestId('shared-port'))
    await user.type(screen.getByTestId('shared-port'), '6432')
    await user.click(screen.getByTestId('shared-test'))
    expect(api.sharedTest).toHaveBeenCalledWith({
      host: 'db.example.jp', port: 6432, database: 'shop', user: 'kessai', password: 'secret', sslMode: 'verify-full', caFile: '',
    })
    const result = await screen.findByTestId('shared-test-result')
    expect(result).toHaveTextContent('接続できました（PostgreSQL 15.8、暗号化: あり）')
    expect(result).toHaveTextContent('空のデータベースです。このPCの受注を移すか、最初のPCとして参加できます')
    expect(screen.getByTestId('shared-move')).toHaveTextContent('このPCの受注をサーバーへ移す')
    expect(screen.getByTestId('shared-join')).toHaveTextContent('チームのデータベースに参加')
    // a change of the form asks for the test again
    await user.type(screen.getByTestId('shared-database'), '2')
    expect(screen.queryByTestId('shared-test-result')).not.toBeInTheDocument()
    expect(screen.queryByTestId('shared-actions')).not.toBeInTheDocument()
  })

  it('a team\'s database with orders: join only (moving needs an empty one); unencrypted says なし', async () => {
    const api = fakeApi({ sharedTest: vi.fn(async () => testResult({ schema: 'current', migrations: 20, orders: 1234, tls: false })) })
    const user = userEvent.setup()
    renderSection(api)
    await fillForm(user, 'localhost')
    await user.click(screen.getByTestId('shared-ssl-disable'))
    await user.click(screen.getByTestId('shared-test'))
    const result = await screen.findByTestId('shared-test-result')
    expect(result).toHaveTextContent('暗号化: なし')
    expect(result).toHaveTextContent('チームのデータベースです（受注 1,234件）。参加できます')
    expect(vi.mocked(api.sharedTest).mock.calls[0][0].sslMode).toBe('disable')
    expect(screen.queryByTestId('shared-move')).not.toBeInTheDocument()
    expect(screen.getByTestId('shared-join')).toBeEnabled()
  })

  it('a newer or foreign database: says what to do, offers nothing', async () => {
    const api = fakeApi({ sharedTest: vi.fn(async () => testResult({ schema: 'newer', migrations: 25, orders: 10 })) })
    const user = userEvent.setup()
    renderSection(api)
    await fillForm(user)
    await user.click(screen.getByTestId('shared-test'))
    expect(await screen.findByTestId('shared-test-what')).toHaveTextContent('先にこのPCの決済デスクを更新してください')
    expect(screen.queryByTestId('shared-actions')).not.toBeInTheDocument()

    vi.mocked(api.sharedTest).mockResolvedValueOnce(testResult({ schema: 'foreign' }))
    await user.type(screen.getByTestId('shared-database'), 'x')
    await user.click(screen.getByTestId('shared-test'))
    await waitFor(() => expect(screen.getByTestId('shared-test-what')).toHaveTextContent('決済デスク専用の空のデータベースを選んでください'))
    expect(screen.queryByTestId('shared-actions')).not.toBeInTheDocument()
  })

  it('an older database: joining updates it, said so', async () => {
    const api = fakeApi({ sharedTest: vi.fn(async () => testResult({ schema: 'older', migrations: 15, orders: 3 })) })
    const user = userEvent.setup()
    renderSection(api)
    await fillForm(user)
    await user.click(screen.getByTestId('shared-test'))
    const result = await screen.findByTestId('shared-test-result')
    expect(result).toHaveTextContent('チームのデータベースです（受注 3件）')
    expect(result).toHaveTextContent('最初の起動でサーバーのデータベースを更新します')
  })

  it('shows the failure in the window\'s language and no result', async () => {
    const refusal = { code: 'ECREDENTIAL', message: 'kessai@db.example.jp:5432/shop: ユーザー名またはパスワードが違います', messageEn: 'kessai@db.example.jp:5432/shop: the user name or password is wrong' }
    const api = fakeApi({ sharedTest: vi.fn(async () => { throw refusal }) })
    const user = userEvent.setup()
    renderSection(api)
    await fillForm(user)
    await user.click(screen.getByTestId('shared-test'))
    expect(await screen.findByTestId('error-message')).toHaveTextContent('ユーザー名またはパスワードが違います')
    expect(screen.queryByTestId('shared-test-result')).not.toBeInTheDocument()
  })

  it('in English', async () => {
    const refusal = { code: 'EOFFLINE', message: 'サーバーに接続できません', messageEn: 'cannot reach the server' }
    const api = fakeApi({ sharedTest: vi.fn(async () => { throw refusal }) })
    const user = userEvent.setup()
    renderSection(api, 'en')
    await fillForm(user)
    await user.click(screen.getByTestId('shared-test'))
    expect(await screen.findByTestId('error-message')).toHaveTextContent('cannot reach the server')
  })

  it('no encryption only for a server on this PC; the CA file is chosen with the dialog', async () => {
    const api = fakeApi({ sharedChooseCAFile: vi.fn(async () => '/home/shop/ca.pem') })
    const user = userEvent.setup()
    renderSection(api)
    await user.type(await screen.findByTestId('shared-host'), '127.0.0.1')
    await user.click(screen.getByTestId('shared-ssl-disable'))
    expect(screen.getByTestId('shared-ssl-disable')).toBeChecked()
    expect(screen.queryByTestId('shared-ca')).not.toBeInTheDocument() // no TLS, no CA
    // a server across the network: back to verifying, and 暗号化しない cannot be chosen
    await user.clear(screen.getByTestId('shared-host'))
    await user.type(screen.getByTestId('shared-host'), 'db.example.jp')
    expect(screen.getByTestId('shared-ssl-verify-full')).toBeChecked()
    expect(screen.getByTestId('shared-ssl-disable')).toBeDisabled()
    expect(screen.getByTestId('shared-form')).toHaveTextContent('ネットワーク越しのサーバーには使えません')
    await user.click(screen.getByTestId('shared-ca-choose'))
    expect(await screen.findByDisplayValue('/home/shop/ca.pem')).toBeInTheDocument()
  })
})

describe('設定 → 共有データベース: the moves', () => {
  it('moves this PC\'s orders to the server after a confirm that says what happens, with progress per table and the counts, then offers the restart', async () => {
    let finish: (r: MoveReport) => void = () => {}
    const api = fakeApi({
      sharedTest: vi.fn(async () => testResult()),
      sharedMoveToServer: vi.fn(() => new Promise<MoveReport>((resolve) => { finish = resolve })),
    })
    const send = withEvents(api)
    const user = userEvent.setup()
    renderSection(api)
    await fillForm(user)
    await user.click(screen.getByTestId('shared-test'))
    await user.click(await screen.findByTestId('shared-move'))

    const dialog = await screen.findByTestId('shared-confirm')
    expect(dialog).toHaveAttribute('role', 'alertdialog')
    expect(dialog).toHaveTextContent('このPCの受注をサーバーへ移す')
    expect(dialog).toHaveTextContent('kessai@db.example.jp:5432/shop へコピーします')
    expect(dialog).toHaveTextContent('表ごとの行数を両方で確かめます')
    expect(dialog).toHaveTextContent('このPCのデータベースは消さずにフォルダに残します')
    await user.click(within(dialog).getByTestId('shared-confirm-yes'))
    expect(api.sharedMoveToServer).toHaveBeenCalledWith(expect.objectContaining({ host: 'db.example.jp', password: 'secret', port: 5432 }))

    expect(await screen.findByTestId('shared-progress')).toHaveTextContent('コピーしています')
    send('shared:progress', { Table: 'orders', Done: 500, Total: 1200 })
    expect(screen.getByTestId('shared-progress')).toHaveTextContent('受注: 500 / 1,200行')
    expect(screen.getByTestId('shared-progress').querySelector('progress')).toHaveAttribute('value', '500')
    send('shared:progress', { Table: 'payments', Done: 1200, Total: 1200 })
    expect(screen.getByTestId('shared-progress')).toHaveTextContent('決済: 1,200 / 1,200行')
    expect(screen.getByTestId('shared-test')).toBeDisabled() // nothing else while it runs

    await act(async () => finish({
      tables: [
        { Table: 'orders', Source: 1200, Kept: 0, Copied: 1200, Derived: false },
        { Table: 'settings', Source: 12, Kept: 3, Copied: 9, Derived: false },
        { Table: 'sales_days', Source: 40, Kept: 0, Copied: 40, Derived: true },
      ],
    }))
    expect(screen.queryByTestId('shared-progress')).not.toBeInTheDocument()
    expect(screen.getByTestId('shared-notice')).toHaveTextContent('kessai@db.example.jp:5432/shop へ移しました。表ごとの行数はすべて一致しています')
    const rows = screen.getAllByTestId('shared-count')
    expect(rows.map((r) => r.getAttribute('data-table'))).toEqual(['orders', 'settings', 'sales_days'])
    expect(rows[0]).toHaveTextContent('受注')
    expect(rows[0]).toHaveTextContent('1,200')
    expect(rows[1].querySelectorAll('td')[3]).toHaveTextContent('3') // kept on this PC
    expect(rows[2]).toHaveTextContent('コピー先で作り直し')
    expect(screen.queryByTestId('shared-actions')).not.toBeInTheDocument()
    const restart = screen.getByTestId('shared-restart')
    expect(restart).toHaveTextContent('再起動して共有データベースを使う')
    await user.click(restart)
    expect(api.restart).toHaveBeenCalled()
  })

  it('a refused move says why and changes nothing on screen', async () => {
    const api = fakeApi({
      sharedTest: vi.fn(async () => testResult()),
      sharedMoveToServer: vi.fn(async () => { throw { code: 'ECONFLICT', message: 'デモショップはサーバーへ移せません', messageEn: 'the demo shop cannot be moved' } }),
    })
    const user = userEvent.setup()
    renderSection(api)
    await fillForm(user)
    await user.click(screen.getByTestId('shared-test'))
    await user.click(await screen.findByTestId('shared-move'))
    await user.click(within(await screen.findByTestId('shared-confirm')).getByTestId('shared-confirm-yes'))
    expect(await screen.findByTestId('error-message')).toHaveTextContent('デモショップはサーバーへ移せません')
    expect(screen.queryByTestId('shared-restart')).not.toBeInTheDocument()
    expect(screen.getByTestId('shared-move')).toBeEnabled()
  })

  it('joins the team\'s database after a confirm, then offers the restart', async () => {
    const api = fakeApi({ sharedTest: vi.fn(async () => testResult({ schema: 'current', orders: 120 })) })
    const user = userEvent.setup()
    renderSection(api)
    await fillForm(user)
    await user.click(screen.getByTestId('shared-test'))
    await user.click(await screen.findByTestId('shared-join'))
    const dialog = await screen.findByTestId('shared-confirm')
    expect(dialog).toHaveTextContent('次の起動から、このPCは kessai@db.example.jp:5432/shop の受注を使います')
    expect(dialog).toHaveTextContent('サーバーへコピーしません')
    // 閉じる: nothing happens
    await user.click(within(dialog).getByTestId('shared-confirm-no'))
    expect(screen.queryByTestId('shared-confirm')).not.toBeInTheDocument()
    expect(api.sharedJoin).not.toHaveBeenCalled()

    await user.click(screen.getByTestId('shared-join'))
    await user.click(within(await screen.findByTestId('shared-confirm')).getByTestId('shared-confirm-yes'))
    expect(api.sharedJoin).toHaveBeenCalledWith(expect.objectContaining({ host: 'db.example.jp', database: 'shop', user: 'kessai', password: 'secret' }))
    expect(await screen.findByTestId('shared-notice')).toHaveTextContent('参加の設定を保存しました。再起動すると kessai@db.example.jp:5432/shop を使います')
    expect(screen.getByTestId('shared-restart')).toHaveTextContent('再起動して共有データベースを使う')
  })

  it('copies the server\'s orders to this PC after a confirm, with the counts', async () => {
    const api = fakeApi({
      sharedStatus: vi.fn(async () => status({ mode: 'shared', database: 'kessai@db.example.jp:5432/shop', form: serverForm, hasPassword: true })),
      sharedMoveToLocal: vi.fn(async () => ({ tables: [{ Table: 'orders', Source: 120, Kept: 0, Copied: 120, Derived: false }] })),
    })
    const user = userEvent.setup()
    renderSection(api)
    await user.click(await screen.findByTestId('shared-to-local'))
    const dialog = await screen.findByTestId('shared-confirm')
    expect(dialog).toHaveTextContent('kessai@db.example.jp:5432/shop の受注・決済・操作の記録をすべてこのPCのデータベースへコピー')
    expect(dialog).toHaveTextContent('他のPCは引き続き使えます')
    expect(dialog).toHaveTextContent('以前のデータベースはバックアップの一覧へ移します')
    await user.click(within(dialog).getByTestId('shared-confirm-yes'))
    expect(await screen.findByTestId('shared-notice')).toHaveTextContent('このPCへコピーしました')
    expect(screen.getByTestId('shared-count')).toHaveTextContent('120')
    expect(screen.getByTestId('shared-restart')).toHaveTextContent('再起動してこのPCのデータベースを使う')
  })

  it('leaving without a copy is a red confirm that says the next start is empty and where the old database goes', async () => {
    const api = fakeApi({ sharedStatus: vi.fn(async () => status({ mode: 'shared', database: 'kessai@db.example.jp:5432/shop', form: serverForm, hasPassword: true })) })
    const user = userEvent.setup()
    renderSection(api)
    await user.click(await screen.findByTestId('shared-leave'))
    const dialog = await screen.findByTestId('shared-confirm')
    expect(dialog).toHaveClass('destructive')
    expect(dialog).toHaveTextContent('サーバーの受注はこのPCへコピーしません')
    expect(dialog).toHaveTextContent('バックアップの一覧へ移すため、次の起動は空の状態から始まります')
    const yes = within(dialog).getByTestId('shared-confirm-yes')
    expect(yes).toHaveClass('danger-solid')
    expect(yes).toHaveTextContent('共有をやめる')
    await user.click(yes)
    expect(api.sharedLeave).toHaveBeenCalled()
    expect(await screen.findByTestId('shared-notice')).toHaveTextContent('共有をやめました。再起動すると、空のデータベースで始まります')
    expect(screen.queryByTestId('shared-stop')).not.toBeInTheDocument()
  })

  it('in shared mode the form saves new settings (a changed password) rather than joining', async () => {
    const api = fakeApi({
      sharedStatus: vi.fn(async () => status({ mode: 'shared', database: 'kessai@db.example.jp:5432/shop', form: serverForm, hasPassword: true })),
      sharedTest: vi.fn(async () => testResult({ schema: 'current', orders: 120 })),
    })
    const user = userEvent.setup()
    renderSection(api)
    await user.click(await screen.findByTestId('shared-test'))
    expect(api.sharedTest).toHaveBeenCalledWith({ ...serverForm, password: '' }) // '' = the one in the keychain
    await user.click(await screen.findByTestId('shared-join'))
    const dialog = await screen.findByTestId('shared-confirm')
    expect(dialog).toHaveTextContent('次の起動から、この設定で kessai@db.example.jp:5432/shop に接続します')
    await user.click(within(dialog).getByTestId('shared-confirm-yes'))
    expect(await screen.findByTestId('shared-notice')).toHaveTextContent('接続の設定を保存しました')
  })
})

describe('helpers', () => {
  it('tells a server on this PC', () => {
    for (const h of ['localhost', '127.0.0.1', '::1', '[::1]', 'LOCALHOST']) expect(isLocalHost(h), h).toBe(true)
    for (const h of ['db.example.jp', '192.168.1.5', 'localhost.example.jp', '']) expect(isLocalHost(h), h).toBe(false)
  })
  it('shortens a server label for the chip', () => {
    expect(sharedWhere('kessai@db.example.jp:5432/shop')).toBe('db.example.jp/shop')
    expect(sharedWhere('kessai@[::1]:5432/shop')).toBe('[::1]/shop')
  })
})

describe('the window on a shared database', () => {
  const offlineInfo = (): Info => ({
    version: 'test', dataDir: '/tmp/kd', database: '/tmp/kd/shared-copy.db', demo: false, language: 'ja', operator: '佐藤', setupNeeded: false,
    databaseMode: 'offline', offline: 'kessai@db.example.jp:5432/shop: サーバーに接続できません', offlineEn: 'cannot reach the server',
  })

  it('offline: a banner on every screen with why and 再接続; 売上 is disabled with why as its title', async () => {
    const api = fakeApi({ info: vi.fn(async () => offlineInfo()) })
    const user = userEvent.setup()
    window.location.hash = '#orders'
    render(<ApiContext.Provider value={api}><App /></ApiContext.Provider>)
    const banner = await screen.findByTestId('offline-banner')
    expect(banner).toHaveAttribute('role', 'alert')
    expect(banner).toHaveTextContent('共有データベースに接続できません。最後のコピーを読み取り専用で表示しています。決済の操作はできません。')
    expect(banner).toHaveTextContent('kessai@db.example.jp:5432/shop: サーバーに接続できません')

    await user.click(await screen.findByTestId('result-row'))
    const capture = await screen.findByTestId('action-capture')
    expect(capture).toBeDisabled()
    expect(capture).toHaveAttribute('title', '共有データベースに接続できないため、送れません: kessai@db.example.jp:5432/shop: サーバーに接続できません')
    expect(screen.getByTestId('action-cancel')).toBeDisabled()
    expect(screen.getByTestId('offline-banner')).toBeInTheDocument() // still there on 受注詳細

    await user.click(screen.getByTestId('offline-reconnect'))
    expect(api.restart).toHaveBeenCalled()
  })

  it('a connection lost mid-session: said at the top, sending disabled, and lifted when it is back', async () => {
    const api = fakeApi({ info: vi.fn(async () => ({ ...offlineInfo(), databaseMode: 'shared' as const, offline: '', offlineEn: '', database: 'kessai@db.example.jp:5432/shop' })) })
    const user = userEvent.setup()
    window.location.hash = '#orders'
    render(<ApiContext.Provider value={api}><App /></ApiContext.Provider>)
    await user.click(await screen.findByTestId('result-row'))
    const capture = await screen.findByTestId('action-capture')
    expect(capture).toBeEnabled()
    act(() => emit(api, 'shared:connection', { lost: true, message: '共有データベースのサーバーとの接続が切れました。再接続を試みています。', messageEn: 'lost' }))
    const banner = await screen.findByTestId('connection-lost')
    expect(banner).toHaveAttribute('role', 'alert')
    expect(banner).toHaveTextContent('接続が切れました')
    expect(screen.getByTestId('action-capture')).toBeDisabled()
    expect(screen.getByTestId('action-capture')).toHaveAttribute('title', '共有データベースのサーバーとの接続が切れました。再接続を試みています。')
    act(() => emit(api, 'shared:connection', { lost: false }))
    await waitFor(() => expect(screen.queryByTestId('connection-lost')).not.toBeInTheDocument())
    expect(screen.getByTestId('action-capture')).toBeEnabled()
  })

  it('offline: 作業リスト\'s 一括売上 and 今すぐ同期, and 取込 are disabled; backups are the server\'s', async () => {
    const api = fakeApi({ info: vi.fn(async () => offlineInfo()) })
    const user = userEvent.setup()
    window.location.hash = '#work'
    render(<ApiContext.Provider value={api}><App /></ApiContext.Provider>)
    expect(await screen.findByTestId('sync-now')).toBeDisabled()
    const bulk = await screen.findByTestId('bulk-capture')
    expect(bulk).toBeDisabled()
    expect(bulk.getAttribute('title')).toContain('送れません')
    // 受注取込: the file is read and checked, but not saved into the read-only copy
    await user.click(screen.getByTestId('nav-import'))
    await user.type(await screen.findByTestId('import-file-path'), '/home/shop/注文データ.csv')
    await user.click(screen.getByTestId('import-file-load'))
    await user.click(await screen.findByTestId('import-preview'))
    expect(await screen.findByTestId('import-ok')).toBeInTheDocument()
    expect(screen.getByTestId('import-commit')).toBeDisabled()
    expect(screen.getByTestId('import-commit').getAttribute('title')).toContain('サーバーに接続できません')
    await user.click(screen.getByTestId('nav-settings'))
    await user.click(await screen.findByTestId('settings-nav-backup'))
    expect(await screen.findByTestId('backup-shared')).toHaveTextContent('共有データベースのバックアップは、サーバーで取ります')
    expect(screen.queryByTestId('backup-now')).not.toBeInTheDocument()
  })

  it('shared: a 共有 chip names the server; backups are the server\'s; nothing is disabled', async () => {
    const api = fakeApi({
      info: vi.fn(async () => ({ ...offlineInfo(), databaseMode: 'shared' as const, database: 'kessai@db.example.jp:5432/shop', offline: '', offlineEn: '' })),
      backups: vi.fn(async () => ({ list: [{ name: 'kessaidesk-before-shared-20261201-090000.db', size: 2048, created: '2026-12-01T09:00:00+09:00', kind: 'manual' }], restorePending: '' })),
    })
    const user = userEvent.setup()
    window.location.hash = '#settings'
    render(<ApiContext.Provider value={api}><App /></ApiContext.Provider>)
    expect(await screen.findByTestId('shared-chip')).toHaveTextContent('共有: db.example.jp/shop')
    expect(screen.queryByTestId('offline-banner')).not.toBeInTheDocument()
    await user.click(await screen.findByTestId('settings-nav-backup'))
    expect(await screen.findByTestId('backup-shared')).toHaveTextContent('pg_dump')
    expect(screen.queryByTestId('backup-now')).not.toBeInTheDocument()
    expect(screen.queryByTestId('restore-file')).not.toBeInTheDocument()
    expect(screen.queryByTestId('backup-settings')).not.toBeInTheDocument()
    expect(await screen.findByTestId('backup-row')).toBeInTheDocument() // the earlier backups are listed
    expect(screen.queryByTestId('restore')).not.toBeInTheDocument()
    await user.click(screen.getByTestId('settings-nav-shared'))
    expect(await screen.findByTestId('shared-where')).toBeInTheDocument()
  })

  it('offline: 連携を実行 (it asks the gateways and saves) is disabled too', async () => {
    render(<ApiContext.Provider value={fakeApi()}><OfflineContext.Provider value="送れません: サーバーに接続できません"><LinkRunner /></OfflineContext.Provider></ApiContext.Provider>)
    const start = await screen.findByTestId('link-start')
    expect(start).toBeDisabled()
    expect(start).toHaveAttribute('title', '送れません: サーバーに接続できません')
  })

  it('this PC\'s database: no chip, no banner, backups as before', async () => {
    const api = fakeApi()
    const user = userEvent.setup()
    window.location.hash = '#settings'
    render(<ApiContext.Provider value={api}><App /></ApiContext.Provider>)
    await user.click(await screen.findByTestId('settings-nav-backup'))
    expect(await screen.findByTestId('backup-now')).toBeInTheDocument()
    expect(screen.queryByTestId('shared-chip')).not.toBeInTheDocument()
    expect(screen.queryByTestId('offline-banner')).not.toBeInTheDocument()
    expect(screen.queryByTestId('backup-shared')).not.toBeInTheDocument()
  })
})
