import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import App from './App'
import { ApiContext } from './api'
import type { Api } from './api'
import { EVENT_DATA_CHANGED } from './live'
import { L, emit, fakeApi, order, overview, payment, row } from './test/fakeApi'

// The live view: another desktop's change ("data:changed", live.ts) is read again
// quietly by what is on screen, and the operator's place — selection, quick search,
// open dialog — stays as it was.

function renderApp(api: Api, hash = '') {
  window.location.hash = hash
  return render(<ApiContext.Provider value={api}><App /></ApiContext.Provider>)
}

const changed = (api: Api, ...tables: string[]) => emit(api, EVENT_DATA_CHANGED, { tables })
const calls = (f: unknown) => vi.mocked(f as () => unknown).mock.calls.length

beforeEach(() => localStorage.clear())

describe('live view', () => {
  it('ホーム: the counts and the navigation badge are read again, with a short note', async () => {
    let failed = 2
    const api = fakeApi({ overview: vi.fn(async () => overview({ captureFailed: failed })) })
    renderApp(api, '#home')
    expect(await screen.findByTestId('nav-work-badge')).toHaveTextContent('7')
    failed = 7
    changed(api, 'payments', 'operations')
    await waitFor(() => expect(screen.getByTestId('nav-work-badge')).toHaveTextContent('12'))
    expect(screen.getByTestId('live-note')).toHaveTextContent('他のデスクトップの変更を反映しました')
    // The note goes by itself after a few seconds.
    await waitFor(() => expect(screen.queryByTestId('live-note')).not.toBeInTheDocument(), { timeout: 6000 })
  }, 10000)

  it('受注管理: the rows are read again; the selection, the quick search and the place stay', async () => {
    let state = L('authorized', '仮売上')
    const api = fakeApi({
      search: vi.fn(async (q) => ({
        rows: [row({ id: 1, orderNo: '100001', paymentState: state }), row({ id: 2, orderNo: '100002' }), row({ id: 3, orderNo: '100003' })],
        total: 3, totalAtLeast: false, page: q.page, pageSize: q.pageSize, next: '',
      })),
    })
    const user = userEvent.setup()
    renderApp(api, '#orders')
    const rows = await screen.findAllByTestId('result-row')
    await user.click(within(rows[1]).getByTestId('select-row'))
    await user.type(screen.getByTestId('quick-search'), 'やまだ')
    const before = calls(api.search)

    state = L('captured', '実売上')
    changed(api, 'payments')
    await waitFor(() => expect(screen.getAllByTestId('result-row')[0]).toHaveTextContent('実売上'))
    expect(calls(api.search)).toBe(before + 1)
    expect(screen.getByTestId('selection')).toHaveTextContent('1')
    expect(within(screen.getAllByTestId('result-row')[1]).getByTestId('select-row')).toBeChecked()
    expect(screen.getByTestId('quick-search')).toHaveValue('やまだ')
    expect(screen.getByTestId('live-note')).toBeInTheDocument()
  })

  it('受注管理: a selected order gone from the list leaves the selection; tables it does not show are not read', async () => {
    let ids = [1, 2, 3]
    const api = fakeApi({
      search: vi.fn(async (q) => ({
        rows: ids.map((id) => row({ id, orderNo: `10000${id}` })), total: ids.length, totalAtLeast: false, page: q.page, pageSize: q.pageSize, next: '',
      })),
    })
    const user = userEvent.setup()
    renderApp(api, '#orders')
    const rows = await screen.findAllByTestId('result-row')
    await user.click(within(rows[0]).getByTestId('select-row'))
    await user.click(within(rows[2]).getByTestId('select-row'))
    expect(screen.getByTestId('selection')).toHaveTextContent('2')
    const before = calls(api.search)

    changed(api, 'settings', 'sync_status')
    await waitFor(() => expect(calls(api.overview)).toBeGreaterThan(1))
    await new Promise((r) => setTimeout(r, 600))
    expect(calls(api.search)).toBe(before)

    ids = [1, 2] // 100003 was captured on another desktop and left the search
    changed(api, 'orders', 'payments')
    await waitFor(() => expect(screen.getAllByTestId('result-row')).toHaveLength(2))
    expect(screen.getByTestId('selection')).toHaveTextContent('1')
    expect(within(screen.getAllByTestId('result-row')[0]).getByTestId('select-row')).toBeChecked()
  })

  it('受注管理: an open dialog stays open and the list waits for it to close', async () => {
    const api = fakeApi()
    const user = userEvent.setup()
    renderApp(api, '#orders')
    await screen.findByTestId('result-row')
    await user.click(screen.getByTestId('export-open'))
    const dialog = await screen.findByRole('dialog')
    const before = calls(api.search)
    changed(api, 'orders')
    await new Promise((r) => setTimeout(r, 900))
    expect(dialog).toBeInTheDocument()
    expect(calls(api.search)).toBe(before)
    await user.click(screen.getByTestId('export-close'))
    await waitFor(() => expect(calls(api.search)).toBe(before + 1))
  })

  it('受注詳細: the order shown is read again and shows what changed', async () => {
    let total = 12800
    const api = fakeApi({ detail: vi.fn(async () => order({ total })) })
    const user = userEvent.setup()
    renderApp(api, '#orders')
    await user.click(await screen.findByTestId('result-row'))
    expect(await screen.findByTestId('order-total')).toHaveTextContent('12,800円')
    total = 9800
    changed(api, 'orders', 'order_events')
    await waitFor(() => expect(screen.getByTestId('order-total')).toHaveTextContent('9,800円'))
    expect(screen.queryByTestId('changed-elsewhere')).not.toBeInTheDocument()
  })

  it('受注詳細: under an open confirm dialog nothing changes; the dialog says so and sends nothing until checked again', async () => {
    let authorized = 12800
    const api = fakeApi({ detail: vi.fn(async () => order({ payments: [payment({ amountAuthorized: authorized })] })) })
    const user = userEvent.setup()
    renderApp(api, '#orders')
    await user.click(await screen.findByTestId('result-row'))
    expect(await screen.findByTestId('amount-main')).toHaveTextContent('12,800円')
    await user.click(screen.getByTestId('action-capture'))
    await screen.findByTestId('action-preview')
    expect(screen.getByTestId('confirm-submit')).toBeEnabled()
    const previews = calls(api.preview)

    authorized = 5000 // 金額変更 on another desktop
    changed(api, 'payments', 'operations')
    expect(await screen.findByTestId('dialog-changed-elsewhere')).toHaveTextContent('他のデスクトップで変更されました')
    expect(screen.getByTestId('confirm-dialog')).toBeInTheDocument()
    expect(screen.getByTestId('confirm-submit')).toBeDisabled()
    expect(screen.getByTestId('amount-main')).toHaveTextContent('12,800円') // the page under the dialog waits

    await user.click(screen.getByTestId('dialog-recheck'))
    await waitFor(() => expect(calls(api.preview)).toBe(previews + 1))
    await waitFor(() => expect(screen.getByTestId('confirm-submit')).toBeEnabled())
    expect(screen.queryByTestId('dialog-changed-elsewhere')).not.toBeInTheDocument()
    expect(screen.getByTestId('amount-main')).toHaveTextContent('5,000円')
    expect(api.run).not.toHaveBeenCalled()
  })

  it('受注詳細: a change seen under a dialog is shown when it closes', async () => {
    let authorized = 12800
    const api = fakeApi({ detail: vi.fn(async () => order({ payments: [payment({ amountAuthorized: authorized })] })) })
    const user = userEvent.setup()
    renderApp(api, '#orders')
    await user.click(await screen.findByTestId('result-row'))
    await user.click(await screen.findByTestId('action-capture'))
    await screen.findByTestId('action-preview')
    authorized = 5000
    changed(api, 'payments')
    await screen.findByTestId('dialog-changed-elsewhere')
    await user.click(screen.getByTestId('confirm-cancel'))
    await waitFor(() => expect(screen.getByTestId('amount-main')).toHaveTextContent('5,000円'))
    expect(api.run).not.toHaveBeenCalled()
  })

  it('作業リスト: the open list and the tab counts are read again', async () => {
    let n = 1
    const api = fakeApi({
      workList: vi.fn(async () => Array.from({ length: n }, (_, i) => row({ id: i + 1, orderNo: `10000${i + 1}` }))),
      workLists: vi.fn(async () => [{ code: 'to_capture', ja: '売上待ち', en: 'To capture', count: n }]),
    })
    renderApp(api, '#work')
    expect(await screen.findAllByTestId('result-row')).toHaveLength(1)
    n = 2
    changed(api, 'payments')
    await waitFor(() => expect(screen.getAllByTestId('result-row')).toHaveLength(2))
    await waitFor(() => expect(screen.getByTestId('work-tab-to_capture')).toHaveTextContent('2'))
  })
})
