import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import App from '../App'
import { ApiContext } from '../api'
import type { Api } from '../api'
import { fakeApi, L, row } from '../test/fakeApi'

function renderApp(api: Api) {
  return render(<ApiContext.Provider value={api}><App /></ApiContext.Provider>)
}

describe('作業リスト', () => {
  it('shows the lists with counts and opens an order from one', async () => {
    const api = fakeApi()
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-work'))
    expect(await screen.findByTestId('work-tab-to_capture')).toHaveTextContent('売上待ち')
    expect(screen.getByTestId('work-tab-to_capture')).toHaveTextContent('1')
    expect(api.workList).toHaveBeenCalledWith('to_capture')
    await user.click(await screen.findByTestId('result-row'))
    expect(await screen.findByTestId('order-no')).toHaveTextContent('100001')
    await user.click(screen.getByTestId('back'))
    expect(await screen.findByTestId('sync-panel')).toBeInTheDocument()
  })

  it('runs 今すぐ同期 with progress from the events and refreshes when done', async () => {
    const handlers: Record<string, (d: unknown) => void> = {}
    const api = fakeApi({ onEvent: vi.fn((name: string, cb: (d: unknown) => void) => { handlers[name] = cb; return () => {} }) })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-work'))
    const panel = await screen.findByTestId('sync-panel')
    expect(panel).toHaveTextContent('デモ (GMO-PG サンドボックス)')
    await user.click(within(panel).getByTestId('sync-now'))
    expect(api.syncNow).toHaveBeenCalledTimes(1)
    expect(within(panel).getByTestId('sync-now')).toBeDisabled()
    handlers['sync:progress']({ profile: 'デモ', done: 3, total: 10 })
    expect(await within(panel).findByText(/3 \/ 10/)).toBeInTheDocument()
    const before = vi.mocked(api.syncStatus).mock.calls.length
    handlers['sync:done']({})
    await waitFor(() => expect(within(panel).getByTestId('sync-now')).toBeEnabled())
    expect(vi.mocked(api.syncStatus).mock.calls.length).toBeGreaterThan(before)
    // The run's last progress may arrive after its done event: the button stays usable.
    handlers['sync:progress']({ profile: 'デモ', done: 10, total: 10 })
    await new Promise((r) => setTimeout(r, 20))
    expect(within(panel).getByTestId('sync-now')).toBeEnabled()
  })

  it('shows offline since when the gateway is unreachable', async () => {
    const api = fakeApi({ syncStatus: vi.fn(async () => ({ profiles: [{ profileId: 1, name: 'GMO', lastSuccess: '', offlineSince: '2026-11-24T08:00:00+09:00', lastError: 'x' }], drifts: 0 })) })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-work'))
    expect(await screen.findByTestId('offline')).toHaveTextContent('オフライン（2026/11/24 08:00 から）')
  })

  it('fixes a difference only on a click, in the direction chosen', async () => {
    const api = fakeApi({
      drifts: vi.fn(async () => [{ paymentId: 7, orderId: 3, orderNo: '100003', customerName: '佐藤 花子', foundAt: '',
        ourState: L('captured', '実売上'), gatewayState: L('authorized', '仮売上'), ourAmount: 5000, gatewayAmount: 5000, detail: '当方は「実売上」、ゲートウェイは「仮売上」', hold: false }]),
    })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-work'))
    await user.click(await screen.findByTestId('work-tab-drifts'))
    const row = await screen.findByTestId('drift-row')
    expect(row).toHaveTextContent('実売上')
    expect(api.acceptGateway).not.toHaveBeenCalled()
    expect(api.pushOurs).not.toHaveBeenCalled()
    await user.click(within(row).getByTestId('drift-push'))
    expect(api.pushOurs).toHaveBeenCalledWith(7)
    expect(api.acceptGateway).not.toHaveBeenCalled()
  })

  it('lists 出荷を止める with what the gateway did, and cancels or keeps an order only on a click', async () => {
    const hold = { paymentId: 21, orderId: 9, orderNo: '100021', customerName: '鈴木 一郎', status: L('new', '新規受付'), total: 8800,
      gateway: 'GMO-PG', gatewayState: L('voided', '取消'), foundAt: '2026-11-24T10:05:00+09:00',
      detail: 'GMO-PGで「取消」になりました（管理画面などでの操作）。当方は「仮売上」のままです' }
    const api = fakeApi({
      workLists: vi.fn(async () => [
        { code: 'stop_shipping', ja: '出荷を止める', en: 'Stop shipping', count: 1 },
        { code: 'to_capture', ja: '売上待ち（与信期限の近い順）', en: 'To capture', count: 1 },
      ]),
      holds: vi.fn(async () => [hold]),
    })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-work'))
    expect(await screen.findByTestId('work-tab-stop_shipping')).toHaveTextContent('出荷を止める1')
    await user.click(screen.getByTestId('work-tab-stop_shipping'))
    const row = await screen.findByTestId('hold-row')
    expect(row).toHaveTextContent('100021')
    expect(row).toHaveTextContent('新規受付')
    expect(row).toHaveTextContent('取消')
    expect(row).toHaveTextContent('管理画面などでの操作')
    expect(screen.getByTestId('work-list-stop_shipping')).toHaveTextContent('発送しないでください')
    expect(api.workList).not.toHaveBeenCalledWith('stop_shipping')
    expect(api.cancelHeldOrder).not.toHaveBeenCalled()
    expect(api.keepHeldOrder).not.toHaveBeenCalled()

    vi.mocked(api.holds).mockResolvedValue([])
    await user.click(within(row).getByTestId('hold-keep'))
    expect(api.keepHeldOrder).toHaveBeenCalledWith(21)
    expect(api.cancelHeldOrder).not.toHaveBeenCalled()
    expect(await screen.findByRole('status')).toHaveTextContent('受注 100021 はそのままにしました')
    expect(await screen.findByText('出荷を止める受注はありません')).toBeInTheDocument()
  })

  it('cancels a held order from its row, and says why when the gateway changed again', async () => {
    const api = fakeApi({
      workLists: vi.fn(async () => [{ code: 'stop_shipping', ja: '出荷を止める', en: 'Stop shipping', count: 1 }]),
      holds: vi.fn(async () => [{ paymentId: 21, orderId: 9, orderNo: '100021', customerName: '鈴木 一郎', status: L('paid', '入金済み'),
        total: 8800, gateway: 'SBペイメントサービス', gatewayState: L('refunded', '返品・返金済'), foundAt: '', detail: '' }]),
    })
    vi.mocked(api.cancelHeldOrder).mockRejectedValueOnce({ code: 'ECONFLICT',
      message: 'ゲートウェイでは今「仮売上」です。受注はキャンセルにしていません。作業リストの「差異」で確認してください', messageEn: '' })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-work'))
    await user.click(await screen.findByTestId('work-tab-stop_shipping'))
    await user.click(await screen.findByTestId('hold-cancel'))
    expect(api.cancelHeldOrder).toHaveBeenCalledWith(21)
    expect(await screen.findByTestId('error-message')).toHaveTextContent('受注はキャンセルにしていません')
    await user.click(screen.getByTestId('hold-cancel'))
    expect(await screen.findByRole('status')).toHaveTextContent('受注 100021 をキャンセルにしました')
    expect(api.keepHeldOrder).not.toHaveBeenCalled()
  })

  it('offers キャンセルにする and keep on a difference whose order is to be stopped, and only there', async () => {
    const api = fakeApi({
      drifts: vi.fn(async () => [
        { paymentId: 21, orderId: 9, orderNo: '100021', customerName: '鈴木 一郎', foundAt: '', ourState: L('authorized', '仮売上'),
          gatewayState: L('voided', '取消'), ourAmount: 8800, gatewayAmount: 8800, detail: '当方は「仮売上」、ゲートウェイは「取消」', hold: true },
        { paymentId: 22, orderId: 10, orderNo: '100022', customerName: '田中 花子', foundAt: '', ourState: L('authorized', '仮売上'),
          gatewayState: L('authorized', '仮売上'), ourAmount: 3300, gatewayAmount: 2800,
          detail: '当方は「仮売上」、ゲートウェイは「仮売上」（金額: 当方 3,300円 / ゲートウェイ 2,800円）', hold: false },
      ]),
    })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-work'))
    await user.click(await screen.findByTestId('work-tab-drifts'))
    const [held, amount] = await screen.findAllByTestId('drift-row')
    expect(within(held).getByTestId('drift-hold')).toHaveTextContent('出荷を止める')
    expect(within(amount).queryByTestId('drift-hold')).not.toBeInTheDocument()
    expect(within(amount).queryByTestId('drift-hold-cancel')).not.toBeInTheDocument()
    expect(amount).toHaveTextContent('3,300')
    expect(amount).toHaveTextContent('2,800')
    await user.click(within(held).getByTestId('drift-hold-cancel'))
    expect(api.cancelHeldOrder).toHaveBeenCalledWith(21)
    expect(api.acceptGateway).not.toHaveBeenCalled()
    expect(await screen.findByRole('status')).toHaveTextContent('受注 100021 をキャンセルにしました')
  })

  it('marks the selected キャンセル在庫 lines as returned', async () => {
    const api = fakeApi({
      cancelStock: vi.fn(async (status: string) => status === 'pending' ? [
        { id: 1, orderId: 1, orderNo: '100001', productCode: 'A', productName: '煎茶', variant: '', quantity: 2, status: 'pending', createdAt: '' },
        { id: 2, orderId: 2, orderNo: '100002', productCode: 'B', productName: '玉露', variant: '', quantity: 1, status: 'pending', createdAt: '' },
      ] : []),
    })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-work'))
    await user.click(await screen.findByTestId('work-tab-stock'))
    expect(await screen.findAllByTestId('stock-row')).toHaveLength(2)
    expect(screen.getByTestId('mark-returned')).toBeDisabled()
    await user.click(screen.getByLabelText('100002'))
    await user.click(screen.getByTestId('mark-returned'))
    expect(api.markStockReturned).toHaveBeenCalledWith([2])
  })

  it('shows the month fees as 売上集計 counts them: billable, outcome unknown apart, the fee', async () => {
    const api = fakeApi({
      fees: vi.fn(async (month: string) => [{ profileName: 'ペイジェント 本番', month, operations: 3, unresolved: 2, fee: 45 }]),
    })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-work'))
    await user.click(await screen.findByTestId('work-tab-fees'))
    const table = await screen.findByRole('table')
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['決済サービス', '件数', '結果確認中', '手数料合計'])
    expect(within(table).getAllByRole('cell').map((c) => c.textContent)).toEqual(['ペイジェント 本番', '3', '2', '45円'])
    expect(screen.getByTestId('fees')).toHaveTextContent('結果確認中の操作は数えません')
  })
})

describe('同期と作業リストのルール', () => {
  it('saves the days captures are compared with the gateway, with the other rules', async () => {
    const api = fakeApi()
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-settings'))
    await user.click(await screen.findByTestId('settings-nav-sync'))
    const days = await screen.findByTestId('rules-recheck')
    expect(days).toHaveValue('30')
    await user.clear(days)
    await user.type(days, '45')
    await user.click(screen.getByTestId('rules-save'))
    expect(api.saveRules).toHaveBeenCalledWith({ syncIntervalMinutes: '5', netBankAutoCancel: false, staleProcessingMinutes: '60', recheckDays: '45' })
  })
})

describe('ゲートウェイ設定', () => {
  it('sends a new profile with its secret and keeps the form on a Japanese error', async () => {
    const api = fakeApi()
    vi.mocked(api.saveProfile).mockRejectedValueOnce({ code: 'EINVALID', message: 'ショップIDは半角英数字13文字以内で入力してください', messageEn: '' })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-settings'))
    await user.click(await screen.findByTestId('profile-add'))
    await user.type(screen.getByTestId('profile-name'), 'GMO-PG 本番')
    await user.type(screen.getByTestId('profile-merchant'), 'ショップ')
    await user.type(screen.getByTestId('profile-secret-shop_pass'), 'Pass1234')
    expect(screen.getByTestId('profile-secret-shop_pass')).toHaveAttribute('type', 'password')
    await user.click(screen.getByTestId('profile-save'))
    expect(await screen.findByTestId('error-message')).toHaveTextContent('ショップIDは半角英数字13文字以内')
    expect(screen.getByTestId('profile-form')).toBeInTheDocument()
    expect(vi.mocked(api.saveProfile).mock.calls[0][0]).toMatchObject({ name: 'GMO-PG 本番', kind: 'gmo', secrets: { shop_pass: 'Pass1234' } })

    await user.clear(screen.getByTestId('profile-merchant'))
    await user.type(screen.getByTestId('profile-merchant'), 'tshop0001')
    await user.click(screen.getByTestId('profile-save'))
    await waitFor(() => expect(screen.queryByTestId('profile-form')).not.toBeInTheDocument())
  })

  it('explains a failed connection test', async () => {
    const api = fakeApi({
      profiles: vi.fn(async () => [{ id: 4, name: 'GMO-PG テスト', kind: 'gmo', kindLabel: 'GMOペイメントゲートウェイ', demo: false, environment: 'test',
        host: '', merchantId: 'tshop0001', subId: '', methods: ['card'], authExpiryDays: 90, feePerOperation: 0, autoCapture: false,
        secrets: [{ name: 'shop_pass', label: 'ショップパスワード', required: true, set: true }], differenceInquiry: false,
        linkRule: { prefix: '', suffix: '', retrySuffixes: false, timestamped: false }, linkRuleText: '' }]),
      testProfile: vi.fn(async () => ({ ok: false, message: '認証に失敗しました: ショップIDまたはショップパスワードが違います' })),
    })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-settings'))
    await user.click(await screen.findByTestId('profile-test'))
    const result = await screen.findByTestId('profile-test-result')
    expect(result).toHaveTextContent('認証に失敗しました')
    expect(result).toHaveAttribute('data-ok', 'false')
    expect(api.testProfile).toHaveBeenCalledWith(4)
  })
})

describe('一括売上', () => {
  it('confirms, shows progress from the events, lists what failed and retries only those', async () => {
    const handlers: Record<string, (d: unknown) => void> = {}
    const api = fakeApi({
      onEvent: vi.fn((name: string, cb: (d: unknown) => void) => { handlers[name] = cb; return () => {} }),
      workList: vi.fn(async () => [row(), row({ id: 2, orderNo: '100002', paymentId: 12, paymentVersion: 4 }), row({ id: 3, orderNo: '100003', paymentId: 13, paymentVersion: 2 })]),
      bulkStart: vi.fn(async () => 7),
    })
    vi.mocked(api.bulkJob)
      .mockResolvedValueOnce({ id: 7, intent: 'capture', state: 'running', total: 3, counts: {}, items: [] })
      .mockResolvedValueOnce({ id: 7, intent: 'capture', state: 'finished', total: 3, counts: { succeeded: 2, failed: 1 }, items: [
        { paymentId: 11, orderId: 1, orderNo: '100001', customerName: '山田 太郎', state: 'succeeded', message: '' },
        { paymentId: 12, orderId: 2, orderNo: '100002', customerName: '山田 太郎', state: 'succeeded', message: '' },
        { paymentId: 13, orderId: 3, orderNo: '100003', customerName: '山田 太郎', state: 'failed', message: 'カード会社から売上を拒否されました' },
      ] })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-work'))
    await screen.findAllByTestId('result-row')
    expect(screen.getByTestId('bulk-capture')).toBeDisabled()
    await user.click(screen.getByTestId('select-all'))
    expect(screen.getByTestId('bulk-capture')).toHaveTextContent('選択した3件を一括売上')
    await user.click(screen.getByTestId('bulk-capture'))
    expect(api.bulkStart).not.toHaveBeenCalled()
    await user.click(screen.getByTestId('bulk-confirm-yes'))
    // Each payment with the version its row showed.
    expect(api.bulkStart).toHaveBeenCalledWith('capture', [{ paymentId: 11, version: 1 }, { paymentId: 12, version: 4 }, { paymentId: 13, version: 2 }])
    await waitFor(() => expect(api.bulkJob).toHaveBeenCalledTimes(1))
    handlers['bulk:progress']({ jobId: 7, intent: 'capture', state: 'running', total: 3, done: 2, counts: { succeeded: 2 } })
    expect(await screen.findByTestId('bulk-progress')).toHaveTextContent('2 / 3')
    handlers['bulk:progress']({ jobId: 99, intent: 'capture', state: 'finished', total: 1, done: 1, counts: {} }) // another run
    expect(screen.getByTestId('bulk-progress')).toBeInTheDocument()
    handlers['bulk:progress']({ jobId: 7, intent: 'capture', state: 'finished', total: 3, done: 3, counts: { succeeded: 2, failed: 1 } })
    const result = await screen.findByTestId('bulk-result')
    expect(result).toHaveTextContent('成功 2件・失敗 1件')
    expect(within(result).getAllByTestId('bulk-item')).toHaveLength(3) // every order, failures first
    expect(within(result).getAllByTestId('bulk-item')[0]).toHaveTextContent('カード会社から売上を拒否されました')
    // Yen totals per outcome, and the selection is cleared.
    expect(within(result).getByTestId('bulk-total-succeeded')).toHaveTextContent('2件 25,600円')
    expect(within(result).getByTestId('bulk-total-failed')).toHaveTextContent('1件 12,800円')
    expect(screen.getByTestId('bulk-capture')).toBeDisabled()
    await user.click(within(result).getByTestId('bulk-retry'))
    expect(api.bulkRetryFailed).toHaveBeenCalledWith(7)
  })

  it('links every order of the result to its 受注詳細', async () => {
    const api = fakeApi({
      workList: vi.fn(async () => [row(), row({ id: 3, orderNo: '100003', paymentId: 13 })]),
      bulkStart: vi.fn(async () => 8),
    })
    vi.mocked(api.bulkJob).mockResolvedValue({ id: 8, intent: 'cancel', state: 'finished', total: 2, counts: { succeeded: 1, unknown: 1 }, items: [
      { paymentId: 11, orderId: 1, orderNo: '100001', customerName: '山田 太郎', state: 'succeeded', message: '' },
      { paymentId: 13, orderId: 3, orderNo: '100003', customerName: '山田 太郎', state: 'unknown', message: '結果を確認中です' },
    ] })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-work'))
    await screen.findAllByTestId('result-row')
    await user.click(screen.getByTestId('select-all'))
    await user.click(screen.getByTestId('bulk-cancel'))
    const confirm = await screen.findByTestId('bulk-confirm')
    expect(confirm).toHaveTextContent('25,600円')
    expect(within(confirm).getByTestId('bulk-confirm-yes')).toHaveClass('danger-solid') // destructive: red
    await user.keyboard('{Escape}')
    expect(screen.queryByTestId('bulk-confirm')).not.toBeInTheDocument()
    expect(api.bulkStart).not.toHaveBeenCalled()
    await user.click(screen.getByTestId('bulk-cancel'))
    await user.click(await screen.findByTestId('bulk-confirm-yes'))
    const result = await screen.findByTestId('bulk-result')
    expect(within(result).getByTestId('bulk-total-unknown')).toHaveTextContent('12,800円')
    const links = within(result).getAllByTestId('bulk-item-open')
    expect(links.map((l) => l.textContent)).toEqual(['100003', '100001'])
    await user.click(links[0])
    expect(api.detail).toHaveBeenCalledWith(3)
  })
})
