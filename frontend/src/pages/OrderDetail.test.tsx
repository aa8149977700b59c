import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { ApiContext } from '../api'
import type { Api, Operation, OperationResult } from '../api'
import { LangContext } from '../i18n'
import type { Lang } from '../i18n'
import { L, fakeApi, order, payment } from '../test/fakeApi'
import { OrderDetail } from './OrderDetail'

// 受注詳細 and its dialogs: what is sent is exactly what was previewed, what may not be
// done is not offered, every outcome leaves the page showing the order as it is now.

type Handlers = Record<string, (d: unknown) => void>

function setup(over: Partial<Api> = {}, props: { siblings?: number[]; lang?: Lang } = {}) {
  const subs: Record<string, Set<(d: unknown) => void>> = {}
  const handlers: Handlers = new Proxy({}, { get: (_t, name: string) => (d: unknown) => subs[name]?.forEach((cb) => cb(d)) })
  const api = fakeApi({
    onEvent: vi.fn((name: string, cb: (d: unknown) => void) => {
      ;(subs[name] ??= new Set()).add(cb)
      return () => subs[name].delete(cb)
    }),
    ...over,
  })
  const onOpen = vi.fn()
  const user = userEvent.setup()
  render(
    <LangContext.Provider value={props.lang ?? 'ja'}>
      <ApiContext.Provider value={api}>
        <OrderDetail orderId={1} onBack={() => {}} siblings={props.siblings} onOpen={onOpen} />
      </ApiContext.Provider>
    </LangContext.Provider>,
  )
  return { api, user, handlers, onOpen }
}

const op = (over: Partial<Operation>): Operation => ({
  id: 1, kind: L('capture', '売上', 'Capture'), amount: 12800, state: L('succeeded', '成功', 'Succeeded'), requestedAt: '2026-11-24T10:00:00+09:00',
  respondedAt: '', gatewayCode: '', message: '売上処理が完了しました', operator: '店長', reason: '', beforeState: L('authorized', '仮売上'),
  afterState: L('captured', '実売上'), ...over,
})

const result = (over: Partial<OperationResult> = {}): OperationResult => ({
  message: '完了しました', operation: op({}), order: order({ payments: [payment({ state: L('captured', '実売上'), actions: ['cancel'] })] }), ...over,
})

describe('売上 from 受注詳細', () => {
  it('sends the status chosen with the capture, exactly as previewed, and Ctrl+Enter confirms', async () => {
    const { api, user } = setup({ detail: vi.fn(async () => order({ status: L('shipped', '発送済み') })) })
    await user.click(await screen.findByTestId('action-capture'))
    const dialog = await screen.findByTestId('confirm-dialog')
    // A shipped order's capture keeps it shipped; the preview asked with that status.
    expect(within(dialog).getByTestId('capture-status-shipped')).toBeChecked()
    await waitFor(() => expect(api.preview).toHaveBeenCalledWith(11, expect.objectContaining({ intent: 'capture', status: 'shipped' })))
    await user.click(within(dialog).getByTestId('capture-status-paid'))
    await waitFor(() => expect(api.preview).toHaveBeenLastCalledWith(11, expect.objectContaining({ status: 'paid' })))
    await within(dialog).findByTestId('action-preview')
    expect(dialog.contains(document.activeElement)).toBe(true) // focus moved into the dialog
    await user.keyboard('{Control>}{Enter}{/Control}')
    await waitFor(() => expect(api.run).toHaveBeenCalledTimes(1))
    expect(vi.mocked(api.run).mock.calls[0][1]).toEqual({ intent: 'capture', amount: '', captureNow: false, status: 'paid', version: 1 })
    await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).not.toBeInTheDocument())
    expect(screen.getByTestId('payment-state')).toHaveTextContent('実売上')
    expect(screen.queryByTestId('action-capture')).not.toBeInTheDocument() // the new state, not stale actions
  })

  it('Esc closes without sending', async () => {
    const { api, user } = setup()
    await user.click(await screen.findByTestId('action-capture'))
    await screen.findByTestId('action-preview')
    await user.keyboard('{Escape}')
    expect(screen.queryByTestId('confirm-dialog')).not.toBeInTheDocument()
    expect(api.run).not.toHaveBeenCalled()
  })

  it('shows the stage, turns into the 結果不明 panel at once on a lost answer, and reloads the page when it ends', async () => {
    let finish: (r: OperationResult) => void = () => {}
    const run = vi.fn(() => new Promise<OperationResult>((_resolve, reject) => {
      finish = () => reject({ code: 'unknown', message: 'ゲートウェイの応答を確認できませんでした', messageEn: 'unknown' })
    }))
    const { api, user, handlers } = setup({ run })
    await user.click(await screen.findByTestId('action-capture'))
    await screen.findByTestId('action-preview')
    await user.click(screen.getByTestId('confirm-submit'))
    act(() => handlers['operation:progress']({ paymentId: 11, operationId: 5, kind: 'capture', stage: 'sending' }))
    expect(screen.getByTestId('action-stage')).toHaveTextContent('送信中')
    expect(screen.getByTestId('confirm-submit')).toBeDisabled() // locked while in flight
    act(() => handlers['operation:progress']({ paymentId: 11, operationId: 5, kind: 'capture', stage: 'inquiring' }))
    const panel = await screen.findByTestId('unknown-panel')
    expect(panel).toHaveTextContent('照会')
    expect(panel).toHaveTextContent('閉じても')
    expect(screen.queryByTestId('confirm-submit')).not.toBeInTheDocument()
    const loads = vi.mocked(api.detail).mock.calls.length
    act(() => finish(result()))
    await waitFor(() => expect(screen.getByTestId('confirm-dialog')).toHaveAttribute('data-phase', 'unknown'))
    expect(screen.getByTestId('unknown-panel')).toHaveTextContent('ゲートウェイに確認する')
    await waitFor(() => expect(vi.mocked(api.detail).mock.calls.length).toBeGreaterThan(loads)) // refreshed behind the dialog
    expect(screen.getByTestId('unknown-panel')).not.toHaveTextContent(/AlterTran|SearchTrade|EntryTran/)
  })

  it('can be left during a long wait; the page reloads when the work ends', async () => {
    const run = vi.fn(() => new Promise<OperationResult>(() => {}))
    const { api, user, handlers } = setup({ run })
    await user.click(await screen.findByTestId('action-capture'))
    await screen.findByTestId('action-preview')
    await user.click(screen.getByTestId('confirm-submit'))
    expect(screen.getByTestId('confirm-cancel')).toHaveTextContent('処理は続きます')
    const before = vi.mocked(api.detail).mock.calls.length
    await user.click(screen.getByTestId('confirm-cancel'))
    expect(screen.queryByTestId('confirm-dialog')).not.toBeInTheDocument()
    // Left: the page shows the payment as it is now (in flight), and again when the work ends.
    await waitFor(() => expect(vi.mocked(api.detail).mock.calls.length).toBe(before + 1))
    act(() => handlers['operation:progress']({ paymentId: 11, operationId: 5, kind: 'capture', stage: 'done' }))
    await waitFor(() => expect(vi.mocked(api.detail).mock.calls.length).toBe(before + 2))
  })

  it('never shows a refusal beside an active confirm button, and reloads the page', async () => {
    const run = vi.fn(async () => { throw { code: 'EGATEWAY', message: 'カード会社から売上を拒否されました', messageEn: 'declined' } })
    const { api, user } = setup({ run })
    await user.click(await screen.findByTestId('action-capture'))
    await screen.findByTestId('action-preview')
    const loads = vi.mocked(api.detail).mock.calls.length
    await user.click(screen.getByTestId('confirm-submit'))
    expect(await screen.findByTestId('error-message')).toHaveTextContent('拒否')
    expect(screen.queryByTestId('confirm-submit')).not.toBeInTheDocument()
    await waitFor(() => expect(vi.mocked(api.detail).mock.calls.length).toBe(loads + 1))
    // Another try is a new request with a new key, after a new preview.
    const firstKey = vi.mocked(api.run).mock.calls[0][2]
    await user.click(screen.getByTestId('confirm-again'))
    await screen.findByTestId('action-preview')
    await user.click(screen.getByTestId('confirm-submit'))
    await waitFor(() => expect(api.run).toHaveBeenCalledTimes(2))
    expect(vi.mocked(api.run).mock.calls[1][2]).not.toBe(firstKey)
  })
})

describe('amount dialogs', () => {
  it('金額変更 sends the amount and 即時売上 that were previewed; an edit clears the preview', async () => {
    const { api, user } = setup()
    await user.click(await screen.findByTestId('action-change_amount'))
    const amount = await screen.findByTestId('action-amount')
    await user.clear(amount)
    await user.type(amount, '9800')
    await user.click(screen.getByTestId('action-capture-now'))
    await user.click(screen.getByTestId('action-check'))
    await screen.findByTestId('action-preview')
    expect(screen.getByTestId('confirm-submit')).toBeEnabled()
    // Typed after the preview: the preview is gone, nothing can be sent.
    await user.type(amount, '0')
    expect(screen.queryByTestId('action-preview')).not.toBeInTheDocument()
    expect(screen.getByTestId('confirm-submit')).toBeDisabled()
    await user.click(screen.getByTestId('action-capture-now')) // unticked after the edit
    expect(screen.getByTestId('confirm-submit')).toBeDisabled()
    await user.click(screen.getByTestId('action-check'))
    await screen.findByTestId('action-preview')
    await user.click(screen.getByTestId('confirm-submit'))
    await waitFor(() => expect(api.run).toHaveBeenCalledTimes(1))
    expect(vi.mocked(api.run).mock.calls[0][1]).toEqual({ intent: 'change_amount', amount: '98000', captureNow: false, version: 1 })
    expect(vi.mocked(api.preview).mock.lastCall![1]).toEqual({ intent: 'change_amount', amount: '98000', captureNow: false, version: 1 })
  })

  it('部分返金 is red, asks for the amount and sends it', async () => {
    const captured = payment({ state: L('captured', '実売上'), amountCaptured: 12800, actions: ['partial_refund', 'cancel'] })
    const { api, user } = setup({ detail: vi.fn(async () => order({ payments: [captured] })) })
    await user.click(await screen.findByTestId('action-partial_refund'))
    expect(screen.queryByTestId('action-capture-now')).not.toBeInTheDocument()
    await user.type(await screen.findByTestId('action-amount'), '3000')
    await user.keyboard('{Enter}') // the amount form previews
    await screen.findByTestId('action-preview')
    expect(screen.getByTestId('confirm-submit')).toHaveClass('danger-solid')
    await user.click(screen.getByTestId('confirm-submit'))
    await waitFor(() => expect(api.run).toHaveBeenCalledWith(11, { intent: 'partial_refund', amount: '3000', captureNow: false, version: 1 }, expect.any(String)))
  })

  it('再オーソリ sends the previewed amount and 即時売上, and shows the new dates', async () => {
    const voided = payment({ state: L('voided', '取消'), actions: ['reauth'] })
    const after = payment({ state: L('captured', '実売上'), authorizedAt: '2026-12-01T10:00:00+09:00', capturedAt: '2026-12-01T10:00:00+09:00', actions: ['cancel'] })
    const { api, user } = setup({
      detail: vi.fn(async () => order({ payments: [voided] })),
      run: vi.fn(async () => result({ order: order({ payments: [after] }) })),
    })
    await user.click(await screen.findByTestId('action-reauth'))
    await user.type(await screen.findByTestId('action-amount'), '12000')
    await user.click(screen.getByTestId('action-capture-now'))
    await user.click(screen.getByTestId('action-check'))
    await screen.findByTestId('action-preview')
    await user.click(screen.getByTestId('confirm-submit'))
    await waitFor(() => expect(api.run).toHaveBeenCalledWith(11, { intent: 'reauth', amount: '12000', captureNow: true, version: 1 }, expect.any(String)))
    expect(await screen.findByTestId('authorized-at')).toHaveTextContent('2026/12/01 10:00')
  })

  it('キャンセル is red and previews at once', async () => {
    const { api, user } = setup()
    await user.click(await screen.findByTestId('action-cancel'))
    await screen.findByTestId('action-preview')
    expect(api.preview).toHaveBeenCalledWith(11, { intent: 'cancel', amount: '', captureNow: false, version: 1 })
    expect(screen.getByTestId('confirm-submit')).toHaveClass('danger-solid')
    await user.click(screen.getByTestId('confirm-submit'))
    await waitFor(() => expect(api.run).toHaveBeenCalledWith(11, { intent: 'cancel', amount: '', captureNow: false, version: 1 }, expect.any(String)))
  })
})

describe('what is not allowed is not offered', () => {
  it('offers no action while an operation is in flight or unresolved, only the inquiry', async () => {
    const locked = payment({
      inFlight: true, actions: ['resolve'],
      operations: [op({ id: 7, state: L('unknown', '結果確認中'), message: '結果を確認中' })],
    })
    const { api, user } = setup({ detail: vi.fn(async () => order({ payments: [locked], statusChoices: [L('new', '新規受付'), L('shipped', '発送済み')] })) })
    expect(await screen.findByTestId('in-flight')).toBeInTheDocument()
    for (const a of ['capture', 'cancel', 'change_amount', 'partial_refund', 'reauth']) expect(screen.queryByTestId(`action-${a}`)).not.toBeInTheDocument()
    expect(screen.getByTestId('status-select')).toBeDisabled()
    vi.mocked(api.resolve).mockResolvedValue(result())
    await user.click(screen.getByTestId('resolve-panel'))
    expect(api.resolve).toHaveBeenCalledWith(7)
  })

  it('「実行されていない」 records not applied, after a confirmation', async () => {
    const locked = payment({ inFlight: true, actions: ['resolve'], operations: [op({ id: 7, state: L('unknown', '結果確認中') })] })
    const { api, user } = setup({
      detail: vi.fn(async () => order({ payments: [locked] })),
      recordOutcome: vi.fn(async () => result({ order: order() })),
    })
    await user.click(await screen.findByTestId('record-outcome'))
    await user.click(screen.getByTestId('record-not-applied'))
    expect(api.recordOutcome).not.toHaveBeenCalled()
    const confirm = await screen.findByTestId('record-confirm')
    expect(confirm).toHaveTextContent('反映されていなかった')
    await user.click(within(confirm).getByTestId('record-confirm-yes'))
    await waitFor(() => expect(api.recordOutcome).toHaveBeenCalledWith(7, false, ''))
  })
})

describe('受注詳細 for a customer call', () => {
  it('changes the 対応状況 after a confirmation, offering only what Go allows', async () => {
    const { api, user } = setup({
      detail: vi.fn(async () => order({ statusChoices: [L('new', '新規受付'), L('shipped', '発送済み'), L('on_hold', '保留')] })),
      setOrderStatus: vi.fn(async () => order({ status: L('shipped', '発送済み'), statusChoices: [L('shipped', '発送済み')] })),
    })
    const select = await screen.findByTestId('status-select')
    expect(within(select).queryByText('キャンセル')).not.toBeInTheDocument()
    expect(screen.getByTestId('status-save')).toBeDisabled()
    await user.selectOptions(select, 'shipped')
    await user.click(screen.getByTestId('status-save'))
    await user.click(await screen.findByTestId('status-confirm-yes'))
    await waitFor(() => expect(api.setOrderStatus).toHaveBeenCalledWith(1, 'shipped'))
    expect(await screen.findByTestId('order-status')).toHaveTextContent('発送済み')
    expect(screen.getByTestId('notice')).toHaveTextContent('発送済み')
  })

  it('shows the konbini numbers with the slip labels, not オーソリ金額', async () => {
    const konbini = payment({
      method: L('konbini', 'コンビニ決済'), state: L('awaiting_deposit', '入金待ち'), actions: [], amountAuthorized: 12800,
      slip: { store: 'ローソン', receiptNo: '12345678901', confNo: '4321', bkCode: '', custId: '' }, paymentDeadline: '2026-12-01T23:59:59+09:00',
    })
    setup({ detail: vi.fn(async () => order({ payments: [konbini] })) })
    const slip = await screen.findByTestId('slip')
    expect(slip).toHaveTextContent('ローソン')
    expect(screen.getByTestId('slip-receipt-no')).toHaveTextContent('12345678901')
    expect(screen.getByTestId('slip-conf-no')).toHaveTextContent('4321')
    expect(screen.getByTestId('payment')).not.toHaveTextContent('オーソリ金額')
    expect(screen.getByTestId('payment')).toHaveTextContent('請求金額')
  })

  it('explains a 売上失敗 and warns when the payment and the order total differ', async () => {
    const failed = payment({ state: L('capture_failed', '売上失敗'), amountAuthorized: 9800, failureReason: 'カード会社から売上を拒否されました（42G030000）' })
    setup({ detail: vi.fn(async () => order({ payments: [failed] })) })
    expect(await screen.findByTestId('failure-reason')).toHaveTextContent('42G030000')
    expect(screen.getByTestId('amount-mismatch')).toHaveTextContent('9,800円')
    expect(screen.getByTestId('amount-mismatch')).toHaveTextContent('12,800円')
  })

  it('moves to the previous and next order of the list it came from', async () => {
    const { user, onOpen } = setup({}, { siblings: [4, 1, 9] })
    await screen.findByTestId('order-no')
    expect(screen.getByText('2 / 3')).toBeInTheDocument()
    await user.click(screen.getByTestId('next-order'))
    expect(onOpen).toHaveBeenLastCalledWith(9)
    await user.keyboard('[[')
    expect(onOpen).toHaveBeenLastCalledWith(4)
  })

  it('keeps one history in order of time, with an amount on every operation, in English in English mode', async () => {
    const p = payment({
      state: L('voided', '取消', 'Voided'), actions: [],
      operations: [
        op({ id: 2, kind: L('void', '取消', 'Void'), amount: 12800, amountImplied: true, requestedAt: '2026-11-25T09:00:00+09:00',
          message: '取消が完了しました', messageEn: 'Void: done' }),
        op({ id: 1, requestedAt: '2026-11-24T10:00:00+09:00', messageEn: 'Capture: done' }),
      ],
    })
    setup({
      detail: vi.fn(async () => order({
        payments: [p],
        events: [{ at: '2026-11-24T10:00:00+09:00', actor: '店長', kind: 'status', detail: '新規受付 → 入金済み', detailEn: 'New → Paid' }],
      })),
    }, { lang: 'en' })
    const table = await screen.findByTestId('journal')
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows.map((r) => r.textContent)).toEqual([
      // at the same instant, the status change the capture made shows above it
      expect.stringContaining('Void: done'), expect.stringContaining('New → Paid'), expect.stringContaining('Capture: done'),
    ])
    for (const r of screen.getAllByTestId('journal-row')) expect(r).toHaveTextContent('¥12,800')
    expect(table).not.toHaveTextContent('取消が完了しました')
  })

  it('names the operator and the PC of each entry, the operator alone for entries made before PCs were kept', async () => {
    const p = payment({
      state: L('captured', '実売上'), actions: [],
      operations: [op({ id: 1, operator: '佐藤', pc: 'REJI-PC' })],
    })
    setup({
      detail: vi.fn(async () => order({
        payments: [p],
        events: [
          { at: '2026-11-25T09:00:00+09:00', actor: '鈴木', pc: 'SHUKKA-PC', kind: 'status', detail: '入金済み → 発送済み' },
          { at: '2026-11-20T09:00:00+09:00', actor: '店長', pc: '', kind: 'note', detail: '電話で確認' },
        ],
      })),
    })
    const table = await screen.findByTestId('journal')
    const who = within(table).getAllByRole('row').slice(1).map((r) => r.querySelectorAll('td')[4])
    expect(who.map((c) => c.textContent)).toEqual(['鈴木SHUKKA-PC', '佐藤REJI-PC', '店長'])
    expect(within(who[1]).getByTestId('history-pc')).toHaveTextContent('REJI-PC')
    expect(who[1]).toHaveAttribute('title', '佐藤 / REJI-PC')
    expect(within(who[2]).queryByTestId('history-pc')).toBeNull()
  })
})
