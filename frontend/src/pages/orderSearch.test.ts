import { describe, expect, it } from 'vitest'
import { emptySearch } from '../api'
import { row, L } from '../test/fakeApi'
import {
  activePreset, applyQuick, bulkPlan, chipsOf, isEmptySearch, nextSort, parseQuickSearch, presetRange, select, selectAllIds,
  sortColumn, withField, withoutChip,
} from './orderSearch'

describe('quick search', () => {
  const cases: [string, string, string, string?][] = [
    ['100250', 'orderNo', '100250'],
    ['１００２５０', 'orderNo', '100250'],
    ['#100250', 'orderNo', '100250'],
    ['＃１００２５０', 'orderNo', '100250'],
    ['注文番号:P-100', 'orderNo', 'P-100'],
    ['KD100001', 'orderNo', 'KD100001'],
    ['100250〜100300', 'orderNo', '100250', '100300'],
    ['100250~100300', 'orderNo', '100250', '100300'],
    ['090-1234-5678', 'tel', '09012345678'],
    ['０９０１２３４５６７８', 'tel', '09012345678'],
    ['03 (1234) 5678', 'tel', '0312345678'],
    ['tel:1234', 'tel', '1234'],
    ['taro@example.jp', 'email', 'taro@example.jp'],
    ['ｔａｒｏ＠example.jp', 'email', 'taro@example.jp'],
    ['yamada', 'email', 'yamada'],
    ['ヤマダ', 'kana', 'ヤマダ'],
    ['やまだ たろう', 'kana', 'やまだ たろう'],
    ['ﾔﾏﾀﾞ', 'kana', 'ヤマダ'],
    ['山田', 'name', '山田'],
    ['山田　太郎', 'name', '山田 太郎'],
    ['山田たろう', 'name', '山田たろう'],
    ['商品:煎茶', 'product', '煎茶'],
    ['煎茶 100g', 'name', '煎茶 100g'],
    ['TEA-01 100g', 'product', 'TEA-01 100g'],
  ]
  it.each(cases)('reads %s as %s %s', (input, field, value, to) => {
    const q = parseQuickSearch(input)
    expect(q).not.toBeNull()
    expect(q!.field).toBe(field)
    expect(q!.value).toBe(value)
    expect(q!.to).toBe(to)
  })

  it('is nothing for blanks', () => {
    expect(parseQuickSearch('')).toBeNull()
    expect(parseQuickSearch(' 　 ')).toBeNull()
  })

  it('offers the other fields the words could mean', () => {
    expect(parseQuickSearch('山田')!.others).toContain('product')
    expect(parseQuickSearch('100250')!.others).toContain('tel')
    expect(parseQuickSearch('0120')!.others).toEqual(['orderNo'])
    const asProduct = withField(parseQuickSearch('山田')!, 'product')
    expect(asProduct).toMatchObject({ field: 'product', value: '山田' })
    expect(asProduct.others).toContain('name')
    expect(withField(parseQuickSearch('090-12')!, 'orderNo').value).toBe('09012')
  })

  it('replaces the earlier quick fields and keeps the other conditions', () => {
    const base = { ...emptySearch(), name: '山田', orderNoFrom: '1', orderNoTo: '9', statuses: ['new'], orderedFrom: '2026/11/01', page: 4, after: 'cur' }
    const q = applyQuick(base, parseQuickSearch('ヤマダ'))
    expect(q).toMatchObject({ kana: 'ヤマダ', name: '', orderNoFrom: '', orderNoTo: '', statuses: ['new'], orderedFrom: '2026/11/01', page: 1 })
    expect(q.after).toBeUndefined()
    expect(applyQuick(base, parseQuickSearch('#100250'))).toMatchObject({ orderNoFrom: '100250', orderNoTo: '100250', name: '' })
    expect(applyQuick(base, null)).toMatchObject({ name: '', kana: '', statuses: ['new'] })
  })
})

describe('date presets in Japan time', () => {
  // Tuesday 24 November 2026, 08:30 in Tokyo = Monday 23:30 UTC.
  const tue = new Date('2026-11-23T23:30:00Z')
  it('counts days in JST, weeks from Monday', () => {
    expect(presetRange('today', tue)).toEqual({ from: '2026/11/24', to: '2026/11/24' })
    expect(presetRange('yesterday', tue)).toEqual({ from: '2026/11/23', to: '2026/11/23' })
    expect(presetRange('thisWeek', tue)).toEqual({ from: '2026/11/23', to: '2026/11/24' })
    expect(presetRange('lastWeek', tue)).toEqual({ from: '2026/11/16', to: '2026/11/22' })
    expect(presetRange('thisMonth', tue)).toEqual({ from: '2026/11/01', to: '2026/11/24' })
    expect(presetRange('lastMonth', tue)).toEqual({ from: '2026/10/01', to: '2026/10/31' })
  })
  it('handles a Sunday, the first of a month and January', () => {
    const sun = new Date('2026-11-29T03:00:00Z') // Sunday noon in Tokyo
    expect(presetRange('thisWeek', sun)).toEqual({ from: '2026/11/23', to: '2026/11/29' })
    const newYear = new Date('2026-12-31T15:00:00Z') // 1 January 2027, 00:00 in Tokyo
    expect(presetRange('today', newYear)).toEqual({ from: '2027/01/01', to: '2027/01/01' })
    expect(presetRange('yesterday', newYear)).toEqual({ from: '2026/12/31', to: '2026/12/31' })
    expect(presetRange('lastMonth', newYear)).toEqual({ from: '2026/12/01', to: '2026/12/31' })
    expect(presetRange('thisMonth', newYear)).toEqual({ from: '2027/01/01', to: '2027/01/01' })
  })
  it('recognises a preset in a search, typed with - or /', () => {
    expect(activePreset({ ...emptySearch(), orderedFrom: '2026-11-24', orderedTo: '2026/11/24' }, tue)).toBe('today')
    expect(activePreset({ ...emptySearch(), orderedFrom: '2026/11/01', orderedTo: '2026/11/24' }, tue)).toBe('thisMonth')
    expect(activePreset({ ...emptySearch(), orderedFrom: '2026/11/02', orderedTo: '2026/11/24' }, tue)).toBeNull()
  })
})

describe('filter chips', () => {
  const label = (_k: string, code: string) => ({ new: '新規受付', authorized: '仮売上' })[code] ?? code
  it('lists every condition and removes one at a time', () => {
    const q = { ...emptySearch(), orderNoFrom: '100', orderNoTo: '100', kana: 'ヤマダ', statuses: ['new', 'paid'], paymentStates: ['authorized'], orderedFrom: '2026-11-01', orderedTo: '2026-11-24', totalMin: '1000' }
    const chips = chipsOf(q, label)
    expect(chips.map((c) => `${c.field}=${c.value}`)).toEqual([
      'orderNo=100', 'kana=ヤマダ', 'status=新規受付', 'status=paid', 'paymentState=仮売上', 'orderedAt=2026/11/01〜2026/11/24', 'total=1000〜',
    ])
    expect(withoutChip(q, 'statuses:new').statuses).toEqual(['paid'])
    expect(withoutChip(q, 'ordered')).toMatchObject({ orderedFrom: '', orderedTo: '' })
    expect(withoutChip(q, 'orderNo')).toMatchObject({ orderNoFrom: '', orderNoTo: '' })
    let all = q
    for (const c of chips) all = withoutChip(all, c.key)
    expect(isEmptySearch(all)).toBe(true)
    expect(isEmptySearch(q)).toBe(false)
  })
})

describe('selection', () => {
  const rows = [1, 2, 3, 4, 5].map((id) => row({ id, orderNo: String(100 + id) }))
  it('toggles one row, and with Shift the range from the last click', () => {
    let s = select(rows, new Set(), 1, null, false)
    expect([...s.selected]).toEqual([2])
    s = select(rows, s.selected, 3, s.anchor, true)
    expect([...s.selected].sort()).toEqual([2, 3, 4])
    // Shift on a selected row clears the range.
    s = select(rows, s.selected, 2, 3, true)
    expect([...s.selected]).toEqual([2])
    // Without an anchor Shift is a plain click.
    expect([...select(rows, new Set(), 4, null, true).selected]).toEqual([5])
    // Backwards ranges work too.
    expect([...select(rows, new Set(), 0, 3, true).selected].sort()).toEqual([1, 2, 3, 4])
  })
  it('leaves 保留 orders out of select-all', () => {
    const some = [row({ id: 1 }), row({ id: 2, status: L('on_hold', '保留') }), row({ id: 3 })]
    expect(selectAllIds(some)).toEqual([1, 3])
  })
})

describe('what a selection allows', () => {
  const rows = [
    row({ id: 1, paymentId: 11 }),
    row({ id: 2, paymentId: 12, paymentState: L('captured', '実売上') }),
    row({ id: 3, paymentId: 13, paymentState: L('needs_review', '要確認') }),
    row({ id: 4, paymentId: 14, inFlight: true }),
    row({ id: 5, paymentId: 0, paymentState: L('', '') }),
  ]
  it('sends 売上/キャンセル only for payments not waiting; 要確認 and in-flight go to 照会', () => {
    const p = bulkPlan(rows, new Set([1, 2, 3, 4, 5]))
    expect(p.selected).toHaveLength(5)
    expect(p.gateway.map((r) => r.id)).toEqual([1, 2])
    expect(p.capturable).toBe(1)
    expect(p.inquire.map((r) => r.id)).toEqual([4])
    expect(p.review.map((r) => r.id)).toEqual([3])
  })
  it('is empty for nothing selected', () => {
    const p = bulkPlan(rows, new Set())
    expect(p.selected).toHaveLength(0)
    expect(p.gateway).toHaveLength(0)
  })
})

describe('sorting', () => {
  it('cycles each column through the sorts the store offers', () => {
    expect(sortColumn('')).toEqual({ column: 'orderedAt', desc: true })
    expect(nextSort('', 'orderedAt')).toBe('ordered_asc')
    expect(nextSort('ordered_asc', 'orderedAt')).toBe('ordered_desc')
    expect(nextSort('ordered_desc', 'orderNo')).toBe('order_no_desc')
    expect(nextSort('order_no_desc', 'orderNo')).toBe('order_no_asc')
    expect(nextSort('ordered_desc', 'total')).toBe('total_desc')
    expect(sortColumn('total_desc')).toEqual({ column: 'total', desc: true })
    expect(nextSort('ordered_desc', 'customerName')).toBe('ordered_desc')
  })
})
