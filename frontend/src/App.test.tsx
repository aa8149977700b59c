import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import App from './App'
import { ApiContext } from './api'
import type { Api } from './api'
import { fakeApi, order, payment, L } from './test/fakeApi'

// openSearchForm folds out 受注管理's full form (the window remembers it open or closed).
async function openSearchForm(user: ReturnType<typeof userEvent.setup>) {
  if (!screen.queryByTestId('search-advanced-form')) await user.click(screen.getByTestId('search-advanced'))
}

function renderApp(api: Api) {
  window.location.hash = '#orders' // these tests start on 受注管理 (the window opens on ホーム)
  return render(<ApiContext.Provider value={api}><App /></ApiContext.Provider>)
}

describe('受注管理', () => {
  it('sends the search form as typed and lists the results in Japanese', async () => {
    const api = fakeApi()
    const user = userEvent.setup()
    renderApp(api)
    expect(await screen.findByTestId('result-row')).toHaveTextContent('山田 太郎')
    expect(screen.getByTestId('result-row')).toHaveTextContent('12,800円')
    expect(screen.getByTestId('result-row')).toHaveTextContent('仮売上')
    expect(screen.getByTestId('result-count')).toHaveTextContent('1件')
    expect(screen.getByTestId('demo-mode')).toHaveTextContent('デモ')

    await openSearchForm(user) // the full form folds out under the quick search
    await user.type(screen.getByTestId('search-name'), '山田')
    await user.click(await screen.findByTestId('search-payment-state-authorized'))
    await user.click(screen.getByTestId('search-method-card'))
    await user.type(screen.getByTestId('search-total-min'), '1000')
    await user.click(screen.getByTestId('search-submit'))
    await waitFor(() => expect(api.search).toHaveBeenCalledTimes(2))
    expect(vi.mocked(api.search).mock.calls[1][0]).toMatchObject({
      name: '山田', paymentStates: ['authorized'], methods: ['card'], totalMin: '1000', page: 1,
    })
  })

  it('shows the backend message for bad input and keeps the form', async () => {
    const api = fakeApi()
    vi.mocked(api.search)
      .mockResolvedValueOnce({ rows: [], total: 0, totalAtLeast: false, page: 1, pageSize: 50, next: '' })
      .mockRejectedValueOnce({ code: 'EINVALID', message: '合計金額（下限）は半角数字で入力してください', messageEn: 'x' })
    const user = userEvent.setup()
    renderApp(api)
    expect(await screen.findByTestId('no-results')).toBeInTheDocument()
    await openSearchForm(user) // the full form folds out under the quick search
    await user.type(screen.getByTestId('search-total-min'), 'abc')
    await user.click(screen.getByTestId('search-submit'))
    expect(await screen.findByTestId('error-message')).toHaveTextContent('合計金額（下限）は半角数字で入力してください')
    expect(screen.getByTestId('search-total-min')).toHaveValue('abc')
  })

  it('says "以上" when the count was capped', async () => {
    const api = fakeApi({ search: vi.fn(async () => ({ rows: [], total: 10000, totalAtLeast: true, page: 1, pageSize: 50, next: '' })) })
    renderApp(api)
    expect(await screen.findByTestId('result-count')).toHaveTextContent('10,000件以上')
  })
})

describe('受注詳細 and 売上', () => {
  it('captures once even on a double click, then shows 実売上 and 入金済み', async () => {
    const api = fakeApi()
    let release: () => void = () => {}
    const run = api.run
    api.run = vi.fn((...args: Parameters<Api['run']>) => new Promise((resolve) => {
      release = () => resolve(run(...args))
    })) as Api['run']
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('result-row'))
    expect(await screen.findByTestId('payment-state')).toHaveTextContent('仮売上')
    expect(screen.getByTestId('order-status')).toHaveTextContent('新規受付')

    await user.click(screen.getByTestId('action-capture'))
    const dialog = await screen.findByTestId('confirm-dialog')
    expect(await within(dialog).findByTestId('action-preview')).toHaveTextContent('売上')
    expect(dialog).toHaveTextContent('入金済み')
    await user.dblClick(within(dialog).getByTestId('confirm-submit'))
    expect(within(dialog).getByTestId('confirm-submit')).toBeDisabled()
    release()
    await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).not.toBeInTheDocument())
    expect(api.run).toHaveBeenCalledTimes(1)
    const [paymentId, input, key] = vi.mocked(api.run).mock.calls[0]
    expect(paymentId).toBe(11)
    expect(input).toMatchObject({ intent: 'capture' })
    expect(key).toMatch(/^[0-9a-f]{32}$/)
    expect(screen.getByTestId('payment-state')).toHaveTextContent('実売上')
    expect(screen.getByTestId('order-status')).toHaveTextContent('入金済み')
    expect(screen.getByTestId('notice')).toHaveTextContent('売上が完了しました')
  })

  it('keeps the dialog open with the Japanese message when the gateway refuses', async () => {
    const api = fakeApi({
      run: vi.fn(async () => {
        throw { code: 'EGATEWAY', message: 'この取引はすでに取消されています', messageEn: 'already voided' }
      }),
    })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('result-row'))
    await user.click(await screen.findByTestId('action-capture'))
    const dialog = await screen.findByTestId('confirm-dialog')
    await within(dialog).findByTestId('action-preview')
    await user.click(within(dialog).getByTestId('confirm-submit'))
    expect(await within(dialog).findByTestId('error-message')).toHaveTextContent('この取引はすでに取消されています')
    expect(screen.getByTestId('payment-state')).toHaveTextContent('仮売上')
  })

  it('asks for the new amount before previewing a 金額変更 and shows a wrong amount', async () => {
    const api = fakeApi({
      preview: vi.fn(async (_id, input) => {
        if (!/^\d+$/.test(input.amount)) throw { code: 'EINVALID', message: '変更後の金額は1円以上の半角数字で入力してください', messageEn: '' }
        return { intent: input.intent, orderOnly: false, manualRefund: 0, reason: '', newStatus: L('', ''), steps: [{ kind: L('change_amount', '金額変更'), amount: Number(input.amount), reason: '' }], paymentVersion: 1 }
      }),
    })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('result-row'))
    await user.click(await screen.findByTestId('action-change_amount'))
    const dialog = await screen.findByTestId('confirm-dialog')
    expect(api.preview).not.toHaveBeenCalled()
    const amount = within(dialog).getByTestId('action-amount')
    await user.clear(amount)
    await user.type(amount, '-5')
    await user.click(within(dialog).getByTestId('action-check'))
    expect(await within(dialog).findByTestId('error-message')).toHaveTextContent('1円以上')
    expect(within(dialog).getByTestId('confirm-submit')).toBeDisabled()
    await user.clear(amount)
    await user.type(amount, '9800')
    await user.click(within(dialog).getByTestId('action-check'))
    expect(await within(dialog).findByTestId('preview-step')).toHaveTextContent('9,800円')
    expect(within(dialog).getByTestId('confirm-submit')).toBeEnabled()
  })

  it('blocks actions while an operation is unresolved and offers to ask the gateway', async () => {
    const api = fakeApi({
      detail: vi.fn(async () => order({
        payments: [payment({
          inFlight: true, operations: [{
            id: 5, kind: L('capture', '売上'), amount: 12800, state: L('unknown', '結果不明'), requestedAt: '', respondedAt: '',
            gatewayCode: '', message: '', operator: '', reason: '', beforeState: L('', ''), afterState: L('', ''),
          }],
        })],
      })),
    })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('result-row'))
    expect(await screen.findByTestId('in-flight')).toBeInTheDocument()
    expect(screen.queryByTestId('action-capture')).not.toBeInTheDocument()
    expect(screen.getByTestId('resolve-panel')).toBeInTheDocument()
  })

  it('records what the console shows for an outcome the gateway cannot tell, after an explanation', async () => {
    const unknownOp = {
      id: 7, kind: L('partial_refund', '部分返金'), amount: 1000, state: L('unknown', '結果不明'), requestedAt: '', respondedAt: '',
      gatewayCode: '', message: 'ゲートウェイの照会でも結果を判断できません', operator: '店長', reason: '', beforeState: L('captured', '実売上'),
      afterState: L('', ''),
    }
    const api = fakeApi({
      detail: vi.fn(async () => order({ payments: [payment({ inFlight: true, operations: [unknownOp] })] })),
      recordOutcome: vi.fn(async () => ({
        message: '1,000円 の部分返金が完了しました（店長がゲートウェイの管理画面で確認して記録）',
        operation: { ...unknownOp, state: L('succeeded', '成功') },
        order: order({ payments: [payment({ state: L('partially_refunded', '部分返金'), amountRefunded: 1000, actions: ['cancel'],
          operations: [{ ...unknownOp, state: L('succeeded', '成功') }] })] }),
      })),
    })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('result-row'))
    await user.click(await screen.findByTestId('record-outcome'))
    expect(screen.getByTestId('record-outcome-box')).toHaveTextContent('管理画面')
    expect(api.recordOutcome).not.toHaveBeenCalled()
    await user.click(screen.getByTestId('record-applied'))
    expect(api.recordOutcome).not.toHaveBeenCalled() // confirmed first
    await user.click(await screen.findByTestId('record-confirm-yes'))
    await waitFor(() => expect(api.recordOutcome).toHaveBeenCalledWith(7, true, ''))
    expect(await screen.findByTestId('notice')).toHaveTextContent('管理画面で確認して記録')
    expect(screen.queryByTestId('in-flight')).not.toBeInTheDocument()
    expect(screen.getByTestId('payment-state')).toHaveTextContent('部分返金')
  })

  it('asks for the new payment ID before recording an operation that makes one', async () => {
    const unknownOp = {
      id: 9, kind: L('change_amount', '金額変更'), amount: 6000, state: L('unknown', '結果不明'), requestedAt: '', respondedAt: '',
      gatewayCode: '', message: '', operator: '店長', reason: '', beforeState: L('authorized', '仮売上'), afterState: L('', ''),
      newIdNeeded: true,
    }
    const api = fakeApi({
      detail: vi.fn(async () => order({ payments: [payment({ gateway: 'paygent', inFlight: true, operations: [unknownOp] })] })),
      recordOutcome: vi.fn(async () => { throw { code: 'conflict', message: '決済ID 1 はこの操作の結果と一致しません' } }),
    })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('result-row'))
    await user.click(await screen.findByTestId('record-outcome'))
    expect(screen.getByTestId('record-applied')).toBeDisabled()
    await user.type(screen.getByTestId('record-new-id'), ' 31000123 ')
    await user.click(screen.getByTestId('record-applied'))
    await user.click(await screen.findByTestId('record-confirm-yes'))
    await waitFor(() => expect(api.recordOutcome).toHaveBeenCalledWith(9, true, ' 31000123 '))
    expect(await screen.findByTestId('error-message')).toHaveTextContent('一致しません')
  })
})

describe('設定', () => {
  it('switches the UI to English', async () => {
    const api = fakeApi()
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-settings'))
    await user.click(screen.getByTestId('settings-nav-display'))
    vi.mocked(api.info).mockResolvedValue({ version: 'test', dataDir: '/tmp/kd', database: '', demo: true, language: 'en', operator: '', setupNeeded: false })
    await user.selectOptions(screen.getByTestId('settings-language'), 'en')
    expect(api.setLanguage).toHaveBeenCalledWith('en')
    expect(await screen.findByTestId('nav-orders')).toHaveTextContent('Orders')
  })

  it('removes the demo only after confirmation', async () => {
    const api = fakeApi()
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-settings'))
    await user.click(screen.getByTestId('settings-nav-advanced'))
    await user.click(screen.getByTestId('remove-demo'))
    expect(api.removeDemo).not.toHaveBeenCalled()
    await user.click(screen.getByTestId('remove-demo-confirm'))
    await waitFor(() => expect(api.removeDemo).toHaveBeenCalledTimes(1))
    expect(await screen.findByTestId('notice')).toHaveTextContent('デモデータを削除しました')
  })
})
