import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import App from '../App'
import { ApiContext } from '../api'
import type { Api } from '../api'
import { L, fakeApi, order, payment, profile, txView } from '../test/fakeApi'

function renderApp(api: Api) {
  window.location.hash = '#orders' // these tests start on 受注管理 (the window opens on ホーム)
  return render(<ApiContext.Provider value={api}><App /></ApiContext.Provider>)
}

const old = txView({ gateway: 'paygent', gatewayLabel: 'ペイジェント', gatewayOrderId: 'KD100001', tranId: '1001',
  state: L('voided', '取消'), rawStatus: '32', amount: 12800 })
const corrected = txView({ gateway: 'paygent', gatewayLabel: 'ペイジェント', gatewayOrderId: 'KD100001', tranId: '1002',
  state: L('authorized', '仮売上'), rawStatus: '20', amount: 9800 })

function waiting(candidates = [old], operationId = 7) {
  return order({
    demo: false,
    payments: [payment({
      gateway: 'paygent', gatewayLabel: 'ペイジェント', demo: false, gatewayOrderId: 'KD100001', gatewayTranId: '1001',
      state: L('needs_review', '要確認'), rawStatus: '32', actions: [], inFlight: operationId > 0,
      operations: operationId > 0 ? [{
        id: operationId, kind: L('capture', '売上'), amount: 12800, state: L('unknown', '結果確認中'), requestedAt: '', respondedAt: '',
        gatewayCode: '', message: '売上の結果は、まだ分かりません', operator: '店長', reason: '', beforeState: L('authorized', '仮売上'),
        afterState: L('', ''),
      }] : [],
      review: { foundAt: '2026-11-24T09:00:00+09:00', operationId, candidates },
    })],
  })
}

// What the journal shows after the choice: the capture left unknown, settled.
const settled = {
  id: 7, kind: L('capture', '売上'), amount: 12800, state: L('failed', '失敗'), requestedAt: '', respondedAt: '', gatewayCode: '',
  message: '売上は実行されていませんでした', operator: '店長', reason: '', beforeState: L('authorized', '仮売上'), afterState: L('authorized', '仮売上'),
}

async function openOrder(api: Api) {
  const user = userEvent.setup()
  renderApp(api)
  await user.click(await screen.findByTestId('result-row'))
  return { user, panel: await screen.findByTestId('review-panel') }
}

describe('受注詳細: 現在の決済を選ぶ (Paygent 13002)', () => {
  it('shows the candidates side by side, adds pasted payment ids, and sends the choice', async () => {
    const api = fakeApi({
      detail: vi.fn(async () => waiting()),
      addCandidates: vi.fn(async () => ({ message: '', operation: settled, order: waiting([old, corrected]) })),
      chooseCandidate: vi.fn(async () => ({
        message: '売上は実行されていませんでした（店長が候補から決済ID 1002（仮売上）を現在の決済に選び、ゲートウェイに照会して確認）',
        operation: settled,
        order: order({ demo: false, payments: [payment({ gateway: 'paygent', gatewayTranId: '1002', amountAuthorized: 9800, demo: false })] }),
      })),
    })
    const { user, panel } = await openOrder(api)

    // While waiting: no capture or cancel, and the reason says why.
    expect(screen.getByTestId('payment-state')).toHaveTextContent('要確認')
    expect(screen.getByTestId('review-needed')).toBeInTheDocument()
    expect(screen.queryByTestId('action-capture')).not.toBeInTheDocument()
    expect(screen.queryByTestId('action-cancel')).not.toBeInTheDocument()
    expect(within(panel).getByTestId('review-settles-op')).toBeInTheDocument()
    expect(within(panel).getAllByTestId('review-candidate')).toHaveLength(1)

    // Pasted ids (one per line, spaces trimmed) are sent to be checked.
    await user.type(within(panel).getByTestId('review-paste'), ' 1002 {enter}1003')
    await user.click(within(panel).getByTestId('review-add'))
    expect(api.addCandidates).toHaveBeenCalledWith(11, ['1002', '1003'])
    const cards = await within(panel).findAllByTestId('review-candidate')
    expect(cards).toHaveLength(2)
    expect(cards[0]).toHaveTextContent('取消')
    expect(cards[0]).toHaveTextContent('1001')
    expect(cards[1]).toHaveTextContent('仮売上')
    expect(cards[1]).toHaveTextContent('9,800円')
    expect(cards[1]).toHaveTextContent('1002')
    expect(within(panel).getByTestId('review-paste')).toHaveValue('')

    await user.click(within(cards[1]).getByTestId('review-choose'))
    expect(api.chooseCandidate).toHaveBeenCalledWith(11, '1002')
    expect(await screen.findByTestId('notice')).toHaveTextContent('店長が候補から決済ID 1002')
    expect(screen.queryByTestId('review-panel')).not.toBeInTheDocument()
    expect(screen.getByTestId('payment-state')).toHaveTextContent('仮売上')
  })

  it("keeps the panel and shows the gateway's refusal of a pasted id", async () => {
    const api = fakeApi({
      detail: vi.fn(async () => waiting([old], 0)),
      addCandidates: vi.fn(async () => { throw { code: 'ENOTFOUND', message: 'ペイジェントに決済ID 9999 の決済がありません', messageEn: '' } }),
    })
    const { user, panel } = await openOrder(api)
    expect(within(panel).queryByTestId('review-settles-op')).not.toBeInTheDocument()
    expect(within(panel).getByTestId('review-add')).toBeDisabled()
    await user.type(within(panel).getByTestId('review-paste'), '9999')
    await user.click(within(panel).getByTestId('review-add'))
    expect(await within(panel).findByTestId('error-message')).toHaveTextContent('決済ID 9999 の決済がありません')
    expect(within(panel).getAllByTestId('review-candidate')).toHaveLength(1)
    expect(within(panel).getByTestId('review-paste')).toHaveValue('9999')
  })
})

describe('ゲートウェイ設定: 売上取消の期限 (Paygent)', () => {
  it('sends the day the window counts from and its days, and shows the saved window', async () => {
    const api = fakeApi({
      gatewayKinds: vi.fn(async () => [
        { code: 'gmo', ja: 'GMOペイメントゲートウェイ', merchantLabel: 'ショップID', subLabel: '', defaultExpiryDays: 90, testHost: '', productionHost: '',
          supported: true, secrets: [] },
        { code: 'paygent', ja: 'ペイジェント', merchantLabel: 'マーチャントID', subLabel: '接続ID', defaultExpiryDays: 60, testHost: '', productionHost: '',
          supported: true, secrets: [] },
      ]),
      profiles: vi.fn(async () => [profile({ id: 8, name: 'ペイジェント', kind: 'paygent', kindLabel: 'ペイジェント', salesCancelFrom: 'auth', salesCancelDays: 45 })]),
    })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-settings'))
    expect(await screen.findByTestId('profile-cancel-window')).toHaveTextContent('売上取消の期限: オーソリ日から45日')

    await user.click(screen.getByTestId('profile-add'))
    expect(screen.queryByTestId('profile-cancel-window-form')).not.toBeInTheDocument() // GMO-PG: not a setting
    await user.selectOptions(screen.getByTestId('profile-kind'), 'paygent')
    const form = screen.getByTestId('profile-cancel-window-form')
    expect(within(form).getByTestId('profile-cancel-from')).toHaveValue('sale')
    expect(within(form).getByTestId('profile-cancel-days')).toHaveAttribute('placeholder', '60')
    await user.selectOptions(within(form).getByTestId('profile-cancel-from'), 'auth')
    await user.type(within(form).getByTestId('profile-cancel-days'), '六十')
    expect(within(form).getByTestId('profile-cancel-days-bad')).toBeInTheDocument()
    await user.clear(within(form).getByTestId('profile-cancel-days'))
    await user.type(within(form).getByTestId('profile-cancel-days'), '45')
    expect(within(form).queryByTestId('profile-cancel-days-bad')).not.toBeInTheDocument()
    await user.type(screen.getByTestId('profile-name'), 'ペイジェント 本番')
    await user.click(screen.getByTestId('profile-save'))
    expect(vi.mocked(api.saveProfile).mock.calls[0][0]).toMatchObject({ kind: 'paygent', salesCancelFrom: 'auth', salesCancelDays: '45' })
  })
})
