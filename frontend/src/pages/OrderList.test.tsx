import { fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiContext, emptySearch } from '../api'
import type { Api, OrderRow, OrderSearch } from '../api'
import { fakeApi, L, row } from '../test/fakeApi'
import { OrderList } from './OrderList'
import { presetRange } from './orderSearch'

function renderList(api: Api, onOpen = vi.fn()) {
  function Host() {
    const [q, setQ] = useState<OrderSearch>(emptySearch())
    return <OrderList query={q} onQuery={setQ} onOpen={onOpen} />
  }
  render(<ApiContext.Provider value={api}><Host /></ApiContext.Provider>)
  return onOpen
}

const lastSearch = (api: Api) => vi.mocked(api.search).mock.calls.at(-1)![0]

beforeEach(() => localStorage.clear())

describe('受注管理: quick search', () => {
  it('searches kana as フリガナ, and the same words as a name on one click', async () => {
    const api = fakeApi()
    const user = userEvent.setup()
    renderList(api)
    await screen.findByTestId('result-row')
    await user.type(screen.getByTestId('quick-search'), 'やまだ')
    expect(screen.getByTestId('quick-meaning')).toHaveAttribute('data-field', 'kana')
    await user.keyboard('{Enter}')
    await waitFor(() => expect(lastSearch(api)).toMatchObject({ kana: 'やまだ', name: '' }))
    expect(screen.getByTestId('filter-chips')).toHaveTextContent('フリガナ やまだ')
    await user.click(screen.getByTestId('quick-as-name'))
    await waitFor(() => expect(lastSearch(api)).toMatchObject({ name: 'やまだ', kana: '' }))
  })

  it('reads a full-width #number as the order number', async () => {
    const api = fakeApi()
    const user = userEvent.setup()
    renderList(api)
    await screen.findByTestId('result-row')
    await user.type(screen.getByTestId('quick-search'), '＃１００２５０{Enter}')
    await waitFor(() => expect(lastSearch(api)).toMatchObject({ orderNoFrom: '100250', orderNoTo: '100250' }))
  })

  it('sets 受注日 from a preset in JST, shows it as a chip and takes it off again', async () => {
    const api = fakeApi()
    const user = userEvent.setup()
    renderList(api)
    await screen.findByTestId('result-row')
    await user.click(screen.getByTestId('preset-lastMonth'))
    const r = presetRange('lastMonth')
    await waitFor(() => expect(lastSearch(api)).toMatchObject({ orderedFrom: r.from, orderedTo: r.to }))
    expect(screen.getByTestId('preset-lastMonth')).toHaveAttribute('aria-pressed', 'true')
    expect(screen.getByTestId('filter-chips')).toHaveTextContent(`${r.from}〜${r.to}`)
    await user.click(screen.getByTestId('chip-remove-ordered'))
    await waitFor(() => expect(lastSearch(api)).toMatchObject({ orderedFrom: '', orderedTo: '' }))
  })

  it('saves a search and runs it again from the list', async () => {
    const api = fakeApi()
    const user = userEvent.setup()
    renderList(api)
    await screen.findByTestId('result-row')
    expect(screen.getByTestId('save-search')).toBeDisabled() // nothing to save yet
    await user.click(screen.getByTestId('quick-state-authorized'))
    await user.click(screen.getByTestId('save-search'))
    await user.type(screen.getByTestId('save-search-name'), '仮売上だけ{Enter}')
    expect(JSON.parse(localStorage.getItem('kessaidesk.orders.saved')!)[0]).toMatchObject({ name: '仮売上だけ', query: { paymentStates: ['authorized'] } })
    await user.click(screen.getByTestId('search-clear'))
    await waitFor(() => expect(lastSearch(api).paymentStates).toEqual([]))
    await user.selectOptions(screen.getByTestId('saved-select'), '仮売上だけ')
    await waitFor(() => expect(lastSearch(api).paymentStates).toEqual(['authorized']))
  })
})

describe('受注管理: the table', () => {
  const rows: OrderRow[] = [
    row({ id: 1, orderNo: '101', paymentId: 11 }),
    row({ id: 2, orderNo: '102', paymentId: 12, status: L('on_hold', '保留') }),
    row({ id: 3, orderNo: '103', paymentId: 13 }),
    row({ id: 4, orderNo: '104', paymentId: 14, paymentState: L('needs_review', '要確認') }),
    row({ id: 5, orderNo: '105', paymentId: 15, inFlight: true }),
  ]
  const withRows = () => fakeApi({ search: vi.fn(async () => ({ rows, total: rows.length, totalAtLeast: false, page: 1, pageSize: 500, next: '' })) })

  it('selects with shift-click, leaves 保留 out of select-all, and offers only what applies', async () => {
    const api = withRows()
    const user = userEvent.setup()
    renderList(api)
    await screen.findAllByTestId('result-row')
    const boxes = () => screen.getAllByTestId('select-row')
    await user.click(boxes()[0])
    await user.keyboard('{Shift>}')
    await user.click(boxes()[2])
    await user.keyboard('{/Shift}')
    expect(boxes().map((b) => (b as HTMLInputElement).checked)).toEqual([true, true, true, false, false])
    const bulk = screen.getByTestId('bulk-area')
    // 保留 ticked by hand is sent like any other; 売上 for the three.
    expect(within(bulk).getByTestId('bulk-capture')).toHaveTextContent('3')
    expect(within(bulk).queryByTestId('bulk-inquire')).not.toBeInTheDocument()

    await user.click(screen.getByTestId('selection-clear'))
    await user.click(screen.getByTestId('select-all'))
    expect(boxes().map((b) => (b as HTMLInputElement).checked)).toEqual([true, false, true, true, true])
    // 要確認 and an outcome being confirmed are not sent a 売上: one is inquired in bulk.
    expect(within(screen.getByTestId('bulk-area')).getByTestId('bulk-capture')).toHaveTextContent('2')
    expect(screen.getByTestId('bulk-inquire-run')).toHaveTextContent('1件を一括照会')
    expect(screen.getByTestId('bulk-review-note')).toHaveTextContent('要確認 1件')
  })

  it('sets the 対応状況 of the selection, order by order, and lists the refused with why', async () => {
    const api = withRows()
    vi.mocked(api.options).mockResolvedValue({ statuses: [L('new', '新規受付'), L('shipped', '発送済み')], methods: [], paymentStates: [] })
    api.setOrderStatus = vi.fn(async (id: number) => {
      if (id === 3) throw { code: 'EINVALID', message: '売上前の受注は入金済みにできません', messageEn: 'x' }
      return {} as never
    })
    const user = userEvent.setup()
    renderList(api)
    await screen.findAllByTestId('result-row')
    const boxes = screen.getAllByTestId('select-row')
    await user.click(boxes[0])
    await user.click(boxes[2])
    expect(screen.getByTestId('bulk-status-apply')).toBeDisabled() // no status chosen yet
    await user.selectOptions(screen.getByTestId('bulk-status-select'), 'shipped')
    await user.click(screen.getByTestId('bulk-status-apply'))
    const result = await screen.findByTestId('bulk-status-result')
    expect(vi.mocked(api.setOrderStatus).mock.calls).toEqual([[1, 'shipped'], [3, 'shipped']])
    expect(result).toHaveTextContent('1件の対応状況を変更しました')
    expect(screen.getByTestId('bulk-status-refused')).toHaveTextContent('103 売上前の受注は入金済みにできません')
    await waitFor(() => expect(api.search).toHaveBeenCalledTimes(2)) // the list is read again
  })

  it('moves with j/k, opens with Enter, selects with x and clears with Esc; / goes to the search box', async () => {
    const api = withRows()
    const onOpen = renderList(api)
    await screen.findAllByTestId('result-row')
    fireEvent.keyDown(window, { key: 'j' })
    fireEvent.keyDown(window, { key: 'j' })
    fireEvent.keyDown(window, { key: 'k' })
    fireEvent.keyDown(window, { key: 'j' })
    expect(screen.getAllByTestId('result-row')[1]).toHaveClass('active')
    fireEvent.keyDown(window, { key: 'x' })
    expect(screen.getByTestId('selection')).toHaveTextContent('1')
    fireEvent.keyDown(window, { key: 'Escape' })
    expect(screen.queryByTestId('selection')).not.toBeInTheDocument()
    fireEvent.keyDown(window, { key: 'Enter' })
    expect(onOpen).toHaveBeenCalledWith(2, expect.arrayContaining([2]))
    fireEvent.keyDown(window, { key: '/' })
    expect(screen.getByTestId('quick-search')).toHaveFocus()
  })

  it('sorts by the store when a header is clicked', async () => {
    const api = withRows()
    const user = userEvent.setup()
    renderList(api)
    await screen.findAllByTestId('result-row')
    await user.click(screen.getByTestId('sort-orderedAt'))
    await waitFor(() => expect(lastSearch(api).sort).toBe('ordered_asc'))
    await user.click(screen.getByTestId('sort-total'))
    await waitFor(() => expect(lastSearch(api).sort).toBe('total_desc'))
  })

  it('asks for the next page by its cursor when the end of what is loaded comes into view', async () => {
    const first = Array.from({ length: 20 }, (_, i) => row({ id: i + 1, orderNo: String(1000 + i) }))
    const second = Array.from({ length: 5 }, (_, i) => row({ id: 100 + i, orderNo: String(2000 + i) }))
    const api = fakeApi({
      search: vi.fn(async (q: OrderSearch) => (q.after === 'c1'
        ? { rows: second, total: 25, totalAtLeast: false, page: 1, pageSize: 500, next: '' }
        : { rows: first, total: 25, totalAtLeast: false, page: 1, pageSize: 500, next: 'c1' })),
    })
    renderList(api)
    await waitFor(() => expect(api.search).toHaveBeenCalledTimes(2))
    expect(vi.mocked(api.search).mock.calls[1][0]).toMatchObject({ after: 'c1', pageSize: 500 })
    await waitFor(() => expect(screen.getAllByTestId('result-row')).toHaveLength(25))
    expect(screen.getByTestId('result-count')).toHaveTextContent('25件')
  })
})

describe('受注管理: opening an order', () => {
  it('passes the list’s order ids, so 受注詳細 can go to the previous and next order', async () => {
    const rows = [row({ id: 7, orderNo: '107' }), row({ id: 8, orderNo: '108' }), row({ id: 9, orderNo: '109' })]
    const api = fakeApi({ search: vi.fn(async () => ({ rows, total: rows.length, totalAtLeast: false, page: 1, pageSize: 500, next: '' })) })
    const user = userEvent.setup()
    const onOpen = renderList(api)
    const shown = await screen.findAllByTestId('result-row')
    expect(shown).toHaveLength(3)
    await user.click(within(shown[1]).getAllByRole('cell')[1])
    expect(onOpen).toHaveBeenCalledTimes(1)
    expect(onOpen).toHaveBeenCalledWith(8, [7, 8, 9])
  })
})
