import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import App from '../App'
import { ApiContext } from '../api'
import type { Api } from '../api'
import { L, fakeApi, linkRow, order, payment, profile, txView } from '../test/fakeApi'

function renderApp(api: Api) {
  window.location.hash = '#orders' // these tests start on 受注管理 (the window opens on ホーム)
  return render(<ApiContext.Provider value={api}><App /></ApiContext.Provider>)
}

const unlinkedOrder = order({ orderNo: 'P100', demo: false, payments: [], link: linkRow() })

async function openOrder(api: Api) {
  const user = userEvent.setup()
  renderApp(api)
  await user.click(await screen.findByTestId('result-row'))
  return { user, panel: await screen.findByTestId('link-panel') }
}

describe('受注詳細: 決済を連携', () => {
  it('GMO-PG: checks the ids with the gateway before the attach, and attaches exactly the checked transaction', async () => {
    const api = fakeApi({
      detail: vi.fn(async () => unlinkedOrder),
      profiles: vi.fn(async () => [profile({ id: 1, name: 'デモ (GMO-PG サンドボックス)', demo: true }), profile({ id: 5, name: 'GMO-PG 本番' })]),
    })
    const { user, panel } = await openOrder(api)
    expect(panel).toHaveTextContent('取引なし')
    expect(panel).toHaveTextContent('ゲートウェイに P100 の取引がありません')
    const select = await within(panel).findByTestId('link-profile')
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['GMO-PG 本番（GMOペイメントゲートウェイ）'])
    expect(panel).toHaveTextContent('オーダーID')
    expect(panel).toHaveTextContent('取引パスワード')
    expect(within(panel).getByTestId('link-order-id')).toHaveValue('P100')
    expect(within(panel).queryByTestId('link-attach')).not.toBeInTheDocument()

    await user.click(within(panel).getByTestId('link-check'))
    expect(api.linkCheck).toHaveBeenCalledWith(1, 5, [{ gatewayOrderId: 'P100', tranId: '', tranPass: '' }])
    const tx = await within(panel).findByTestId('link-tx')
    expect(tx).toHaveTextContent('仮売上')
    expect(tx).toHaveTextContent('12,800円')
    expect(tx).toHaveTextContent('2026/11/24 09:00')
    expect(api.linkAttach).not.toHaveBeenCalled()

    // Changing the ids after the check needs a new check.
    await user.type(within(panel).getByTestId('link-order-id'), '-1')
    expect(within(panel).queryByTestId('link-attach')).not.toBeInTheDocument()
    await user.clear(within(panel).getByTestId('link-order-id'))
    await user.type(within(panel).getByTestId('link-order-id'), 'P100')
    await user.click(within(panel).getByTestId('link-check'))

    vi.mocked(api.detail).mockResolvedValue(order({ orderNo: 'P100', demo: false, payments: [payment({ demo: false, gatewayOrderId: 'P100' })] }))
    await user.click(await within(panel).findByTestId('link-attach'))
    expect(api.linkAttach).toHaveBeenCalledWith(1, 5, { gatewayOrderId: 'P100', tranId: 'acc1', tranPass: '' }, 0)
    expect(await screen.findByTestId('notice')).toHaveTextContent('決済を連携しました')
    expect(await screen.findByTestId('payment-state')).toHaveTextContent('仮売上')
    expect(screen.queryByTestId('link-panel')).not.toBeInTheDocument()
  })

  it('SBPS: asks for the amount the console shows (the inquiry has none) before the attach', async () => {
    const api = fakeApi({
      detail: vi.fn(async () => unlinkedOrder),
      profiles: vi.fn(async () => [profile({ id: 7, kind: 'sbps', kindLabel: 'SBペイメントサービス', name: 'SBPS' })]),
      linkCheck: vi.fn(async () => [txView({ profileId: 7, gateway: 'sbps', gatewayLabel: 'SBPS', gatewayOrderId: 'P100', tranId: 'SPS000123', amount: 0 })]),
    })
    const { user, panel } = await openOrder(api)
    await within(panel).findByTestId('link-profile')
    expect(panel).toHaveTextContent('トラッキングID')
    expect(within(panel).getByTestId('link-check')).toBeDisabled()
    await user.type(within(panel).getByTestId('link-tracking-id'), 'SPS000123')
    await user.click(within(panel).getByTestId('link-check'))
    expect(api.linkCheck).toHaveBeenCalledWith(1, 7, [{ gatewayOrderId: '', tranId: 'SPS000123', tranPass: '' }])
    const tx = await within(panel).findByTestId('link-tx')
    expect(tx).toHaveTextContent('照会では分かりません')
    expect(within(panel).getByTestId('link-attach')).toBeDisabled()
    expect(within(panel).getByTestId('link-amount-needed')).toBeInTheDocument()

    await user.type(within(panel).getByTestId('link-amount'), '12,800')
    expect(within(panel).getByTestId('link-amount-bad')).toHaveTextContent('半角数字')
    expect(within(panel).getByTestId('link-attach')).toBeDisabled()
    await user.click(within(panel).getByTestId('link-amount-total'))
    expect(within(panel).getByTestId('link-amount')).toHaveValue('12800')
    // The amount is the operator's reading of the console, not checked: the check stands.
    expect(within(panel).getByTestId('link-attach')).toBeEnabled()
    await user.click(within(panel).getByTestId('link-attach'))
    expect(api.linkAttach).toHaveBeenCalledWith(1, 7, { gatewayOrderId: 'P100', tranId: 'SPS000123', tranPass: '' }, 12800)
  })

  it('Paygent: several payment IDs are compared side by side; one with a problem cannot be attached', async () => {
    const api = fakeApi({
      detail: vi.fn(async () => order({ orderNo: '100', demo: false, payments: [], link: linkRow({ orderNo: '100', gatewayOrderId: '100', status: L('ambiguous', '候補が複数'), reason: '取引ID 100 には決済が複数あります' }) })),
      profiles: vi.fn(async () => [profile({ id: 9, kind: 'paygent', kindLabel: 'ペイジェント', name: 'ペイジェント' })]),
      linkCheck: vi.fn(async () => [
        txView({ profileId: 9, gateway: 'paygent', gatewayLabel: 'ペイジェント', gatewayOrderId: '100', tranId: '31000001', state: L('voided', '取消済み'), amount: 12800 }),
        txView({ profileId: 9, gateway: 'paygent', gatewayLabel: 'ペイジェント', gatewayOrderId: '100', tranId: '31000002', amount: 9800 }),
        txView({ profileId: 9, gateway: 'paygent', gatewayOrderId: '', tranId: '', error: '決済ID 31000003 の取引はありません' }),
      ]),
    })
    const { user, panel } = await openOrder(api)
    await within(panel).findByTestId('link-profile')
    expect(panel).toHaveTextContent('決済ID')
    await user.type(within(panel).getByTestId('link-payment-ids'), '31000001{enter}31000002{enter}31000003')
    // The trading id the link rule formed is filled in.
    expect(within(panel).getByTestId('link-trading-id')).toHaveValue('100')
    await user.click(within(panel).getByTestId('link-check'))
    expect(api.linkCheck).toHaveBeenCalledWith(1, 9, [
      { gatewayOrderId: '100', tranId: '31000001', tranPass: '' },
      { gatewayOrderId: '100', tranId: '31000002', tranPass: '' },
      { gatewayOrderId: '100', tranId: '31000003', tranPass: '' },
    ])
    const cards = await within(panel).findAllByTestId('link-tx')
    expect(cards).toHaveLength(3)
    expect(cards[1]).toHaveTextContent('9,800円')
    expect(within(cards[1]).getByTestId('tx-amount-differs')).toHaveTextContent('受注の合計（12,800円）と金額が違います')
    expect(within(cards[2]).getByTestId('tx-error')).toHaveTextContent('31000003 の取引はありません')
    expect(within(cards[2]).queryByTestId('link-attach')).not.toBeInTheDocument()
    await user.click(within(cards[0]).getByTestId('link-attach'))
    expect(api.linkAttach).toHaveBeenCalledWith(1, 9, { gatewayOrderId: '100', tranId: '31000001', tranPass: '' }, 0)
  })

  it('says so when no gateway profile handles the method', async () => {
    const api = fakeApi({ detail: vi.fn(async () => unlinkedOrder), profiles: vi.fn(async () => [profile({ methods: ['konbini'] })]) })
    const { panel } = await openOrder(api)
    expect(await within(panel).findByTestId('link-no-profile')).toHaveTextContent('「クレジットカード決済」を扱うゲートウェイ設定がありません')
    expect(within(panel).queryByTestId('link-check')).not.toBeInTheDocument()
  })

  it('shows a refused check in Japanese and offers nothing to attach', async () => {
    const api2 = fakeApi({
      detail: vi.fn(async () => unlinkedOrder), profiles: vi.fn(async () => [profile()]),
      linkCheck: vi.fn(async () => { throw { code: 'not_found', message: 'オーダーID P100 の取引はゲートウェイにありません', messageEn: '' } }),
    })
    const { user, panel: p2 } = await openOrder(api2)
    await user.click(await within(p2).findByTestId('link-check'))
    expect(await within(p2).findByTestId('error-message')).toHaveTextContent('取引はゲートウェイにありません')
    expect(within(p2).queryByTestId('link-attach')).not.toBeInTheDocument()
  })

  it('shows the delivery fields, the added tax and the payment tax and processing date', async () => {
    const api = fakeApi({
      detail: vi.fn(async () => order({
        zip: '150-0001', address: '東京都渋谷区神宮前1-2-3', shipName: '山田 花子', shipZip: '530-0001', shipAddress: '大阪府大阪市北区梅田1-1',
        shipTel: '06-1234-5678', deliveryMethod: 'ヤマト運輸', trackingNo: '1234-5678-9012', tax: 1024,
        payments: [payment({ tax: 1024, processedAt: '2026-11-24T10:30:00+09:00' })],
      })),
    })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('result-row'))
    expect(await screen.findByText(/東京都渋谷区神宮前1-2-3/)).toHaveTextContent('〒150-0001')
    expect(screen.getByTestId('ship-to')).toHaveTextContent('山田 花子')
    expect(screen.getByTestId('ship-to')).toHaveTextContent('大阪府大阪市北区梅田1-1')
    expect(screen.getByText('ヤマト運輸')).toBeInTheDocument()
    expect(screen.getByTestId('tracking-no')).toHaveTextContent('1234-5678-9012')
    expect(screen.getByTestId('order-tax')).toHaveTextContent('1,024円')
    const p = screen.getByTestId('payment')
    expect(p).toHaveTextContent('消費税')
    expect(p).toHaveTextContent('2026/11/24 10:30')
  })
})
