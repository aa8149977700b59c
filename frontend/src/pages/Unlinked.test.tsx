import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import App from '../App'
import { ApiContext } from '../api'
import type { Api } from '../api'
import { L, fakeApi, linkRow, order, profile, txView } from '../test/fakeApi'

function renderApp(api: Api) {
  return render(<ApiContext.Provider value={api}><App /></ApiContext.Provider>)
}

function withEvents(over: Partial<Api> = {}) {
  const handlers: Record<string, (d: unknown) => void> = {}
  const api = fakeApi({
    onEvent: vi.fn((name: string, cb: (d: unknown) => void) => {
      handlers[name] = cb
      return () => {}
    }),
    workLists: vi.fn(async () => [
      { code: 'to_capture', ja: '売上待ち', en: 'To capture', count: 0 },
      { code: 'unlinked', ja: '未連携', en: 'Unlinked', count: 2 },
    ]),
    unlinked: vi.fn(async () => [
      linkRow(),
      linkRow({
        orderId: 2, orderNo: 'P200', customerName: '佐藤 花子', total: 9800, status: L('ambiguous', '候補が複数'),
        reason: 'ゲートウェイに候補が2件あります', gatewayOrderId: 'P200',
        candidates: [
          txView({ gatewayOrderId: 'P200', tranId: 'a1', state: L('voided', '取消済み'), amount: 9800, processedAt: '2026-11-20T10:00:00+09:00' }),
          txView({ gatewayOrderId: 'P200-1', tranId: 'a2', state: L('authorized', '仮売上'), amount: 9800, processedAt: '2026-11-21T11:00:00+09:00' }),
        ],
      }),
    ]),
    ...over,
  })
  return { api, emit: (name: string, d: unknown) => act(() => handlers[name]?.(d)) }
}

async function openUnlinked(api: Api) {
  const user = userEvent.setup()
  renderApp(api)
  await user.click(await screen.findByTestId('nav-work'))
  await user.click(await screen.findByTestId('work-tab-unlinked'))
  return { user, list: await screen.findByTestId('work-list-unlinked') }
}

describe('作業リスト: 未連携', () => {
  it('lists why each order is not linked and links an ambiguous one to the candidate chosen', async () => {
    const { api } = withEvents()
    const { user, list } = await openUnlinked(api)
    expect(screen.getByTestId('work-tab-unlinked')).toHaveTextContent('未連携')
    const rows = await within(list).findAllByTestId('unlinked-row')
    expect(rows).toHaveLength(2)
    expect(rows[0]).toHaveTextContent('P100')
    expect(rows[0]).toHaveTextContent('山田 太郎')
    expect(rows[0]).toHaveTextContent('クレジットカード決済')
    expect(rows[0]).toHaveTextContent('12,800円')
    expect(rows[0]).toHaveTextContent('2026/11/24 09:00')
    expect(rows[0]).toHaveTextContent('取引なし')
    expect(rows[0]).toHaveTextContent('ゲートウェイに P100 の取引がありません')

    const cands = within(within(list).getByTestId('candidates')).getAllByTestId('candidate')
    expect(cands).toHaveLength(2)
    expect(cands[0]).toHaveTextContent('取消済み')
    expect(cands[1]).toHaveTextContent('仮売上')
    expect(cands[1]).toHaveTextContent('P200-1')
    expect(cands[1]).toHaveTextContent('2026/11/21 11:00')
    expect(cands[1]).toHaveTextContent('9,800円')
    const before = vi.mocked(api.unlinked).mock.calls.length
    await user.click(within(cands[1]).getByTestId('candidate-choose'))
    expect(api.linkChoose).toHaveBeenCalledWith(2, 1)
    expect(await within(list).findByTestId('notice')).toHaveTextContent('受注 P200 を連携しました')
    await waitFor(() => expect(vi.mocked(api.unlinked).mock.calls.length).toBeGreaterThan(before))
  })

  it('opens 受注詳細 from a row and comes back to the 未連携 tab', async () => {
    const { api } = withEvents({ detail: vi.fn(async () => order({ orderNo: 'P100', payments: [], link: linkRow() })) })
    const { user, list } = await openUnlinked(api)
    await user.click((await within(list).findAllByTestId('unlinked-row'))[0])
    expect(await screen.findByTestId('order-no')).toHaveTextContent('P100')
    expect(api.detail).toHaveBeenCalledWith(1)
    await user.click(screen.getByTestId('back'))
    expect(await screen.findByTestId('work-list-unlinked')).toBeInTheDocument()
  })

  it('runs the link with progress and 中止, then shows the counts and reloads the list', async () => {
    const { api, emit } = withEvents()
    vi.mocked(api.linkProgress)
      .mockResolvedValueOnce({ running: false, done: 0, total: 0, linked: 0, notFound: 0, ambiguous: 0, failed: 0, noProfile: 0, message: '' })
      .mockResolvedValue({ running: true, done: 0, total: 5, linked: 0, notFound: 0, ambiguous: 0, failed: 0, noProfile: 0, message: '' })
    const { user, list } = await openUnlinked(api)
    await within(list).findAllByTestId('unlinked-row')
    await user.click(within(list).getByTestId('link-start'))
    expect(api.linkStart).toHaveBeenCalledWith(0, [])
    emit('link:progress', { running: true, done: 2, total: 5, linked: 2, notFound: 0, ambiguous: 0, failed: 0, noProfile: 0, message: '' })
    const bar = await within(list).findByTestId('link-progress')
    expect(bar).toHaveTextContent('連携しています… 2 / 5 件')
    await user.click(within(bar).getByTestId('link-progress-stop'))
    expect(api.linkCancel).toHaveBeenCalledTimes(1)
    const before = vi.mocked(api.unlinked).mock.calls.length
    emit('link:progress', { running: false, done: 3, total: 5, linked: 2, notFound: 1, ambiguous: 0, failed: 0, noProfile: 0, message: '中止しました（残り2件は次回）' })
    const done = await within(list).findByTestId('link-result')
    expect(done).toHaveTextContent('連携 2件・取引なし 1件・候補が複数 0件・設定なし 0件・照会できず 0件')
    expect(done).toHaveTextContent('中止しました（残り2件は次回）')
    await waitFor(() => expect(vi.mocked(api.unlinked).mock.calls.length).toBeGreaterThan(before))
    expect(within(list).getByTestId('link-start')).toBeEnabled()
  })

  it('imports the console transaction CSV with a profile and a layout, and lists the rows it could not match with their lines', async () => {
    const { api } = withEvents({ profiles: vi.fn(async () => [profile({ id: 1, demo: true, name: 'デモ' }), profile({ id: 5 })]) })
    const { user, list } = await openUnlinked(api)
    await user.click(within(list).getByTestId('console-open'))
    const box = await within(list).findByTestId('console-import')
    expect(within(box).getByTestId('console-submit')).toBeDisabled()
    await user.type(within(box).getByTestId('console-file-path'), '/home/shop/取引.csv')
    await waitFor(() => expect(within(box).getByTestId('console-profile')).toHaveValue('5'))
    expect(within(within(box).getByTestId('console-profile')).getAllByRole('option')).toHaveLength(1)
    expect(within(box).getByTestId('console-layout')).toHaveValue('gmo-console')
    await user.click(within(box).getByTestId('console-submit'))
    expect(api.linkImportConsole).toHaveBeenCalledWith({ path: '/home/shop/取引.csv', encoding: '', profileId: 5, layout: 'gmo-console', inline: null })
    const result = await within(box).findByTestId('console-result')
    expect(result).toHaveTextContent('3行を読みました: 連携 2件')
    const row = within(result).getByTestId('console-unmatched-row')
    expect(row).toHaveTextContent('4行目')
    expect(row).toHaveTextContent('999-20061530')
    expect(row).toHaveTextContent('この注文番号の受注がありません')
  })
})
