// The logic of the 受注管理 screen, apart from React so it is tested on its own: what a
// quick-search query means, the date presets in Japan time, the filter chips, row
// selection with shift-click, and which bulk actions a selection allows.
import { emptySearch } from '../api'
import type { OrderRow, OrderSearch } from '../api'

// ---- Quick search ----------------------------------------------------------------

export type QuickField = 'orderNo' | 'name' | 'kana' | 'tel' | 'email' | 'product'
export const quickFields: QuickField[] = ['orderNo', 'name', 'kana', 'tel', 'email', 'product']

export interface QuickQuery {
  field: QuickField // the field the query is searched in
  value: string // as sent ("100250", "ヤマダ", "09012345678"…)
  to?: string // the end of an order-number range ("100250〜100300")
  others: QuickField[] // other fields the same words could mean, offered as one click
}

const prefixes: [RegExp, QuickField][] = [
  [/^(?:#|no\.?|注文番号|受注番号|番号)\s*[:：]?\s*/i, 'orderNo'],
  [/^(?:tel|電話|電話番号)\s*[:：]\s*/i, 'tel'],
  [/^(?:mail|email|メール)\s*[:：]\s*/i, 'email'],
  [/^(?:item|商品|商品名|商品コード)\s*[:：]\s*/i, 'product'],
  [/^(?:kana|カナ|フリガナ)\s*[:：]\s*/i, 'kana'],
  [/^(?:name|名前|お名前|氏名)\s*[:：]\s*/i, 'name'],
]

const kanaOnly = /^[\p{Script=Hiragana}\p{Script=Katakana}ー・\s]+$/u
const hasKanji = /\p{Script=Han}/u
const telLike = /^[0+][\d\-\s()]{3,}$/
const digitsOnly = /^\d+$/

// parseQuickSearch decides which field an operator's words mean. Full-width digits,
// letters and ＃＠ are read as their ASCII forms (NFKC), so "＃１００２５０" is order 100250.
// Rules: a prefix (#, tel:, 商品:…) names the field; "@" is an e-mail; digits are an
// order number unless they look like a telephone (a leading 0, hyphens); two numbers
// joined by 〜 are an order-number range; kana only is フリガナ; kanji is a name; letters
// with digits ("KD100001") an order number; letters only part of an e-mail address.
// null for an empty query.
export function parseQuickSearch(input: string): QuickQuery | null {
  let s = input.normalize('NFKC').trim().replace(/\s+/g, ' ')
  if (!s) return null
  for (const [re, field] of prefixes) {
    const m = s.match(re)
    if (m && s.length > m[0].length) {
      s = s.slice(m[0].length).trim()
      if (field === 'orderNo') return orderNo(s, quickFields.filter((f) => f !== 'orderNo'))
      return { field, value: field === 'tel' ? s.replace(/\D/g, '') : s, others: [] }
    }
  }
  if (s.includes('@')) return { field: 'email', value: s, others: ['name', 'product'] }
  const range = s.match(/^(\d{1,12})\s*[~〜]\s*(\d{1,12})$/)
  if (range) return { field: 'orderNo', value: range[1], to: range[2], others: [] }
  if (digitsOnly.test(s)) {
    if (s.startsWith('0') && s.length >= 4) return { field: 'tel', value: s, others: ['orderNo'] }
    return { field: 'orderNo', value: s, others: ['tel', 'product'] }
  }
  if (telLike.test(s) && /\d/.test(s)) return { field: 'tel', value: s.replace(/\D/g, ''), others: ['orderNo'] }
  if (kanaOnly.test(s)) return { field: 'kana', value: s, others: ['name', 'product'] }
  if (hasKanji.test(s)) return { field: 'name', value: s, others: ['product', 'kana'] }
  if (/^[A-Za-z][A-Za-z0-9\-_]*\d[A-Za-z0-9\-_]*$/.test(s)) return { field: 'orderNo', value: s, others: ['product', 'email'] }
  if (/^[A-Za-z0-9._\-+]+$/.test(s)) return { field: 'email', value: s, others: ['name', 'product'] }
  return { field: 'product', value: s, others: ['name', 'kana'] }
}

function orderNo(s: string, others: QuickField[]): QuickQuery {
  const range = s.match(/^(\S+)\s*[~〜]\s*(\S+)$/)
  if (range) return { field: 'orderNo', value: range[1], to: range[2], others: [] }
  return { field: 'orderNo', value: s, others }
}

// withField is the same words searched in another field (the "ほかの項目で" choices).
export function withField(q: QuickQuery, field: QuickField): QuickQuery {
  const value = field === 'tel' ? q.value.replace(/\D/g, '') : q.value
  return { field, value, others: [q.field, ...q.others.filter((f) => f !== field)] }
}

// The text fields the quick search owns: a new quick search replaces them all and
// keeps every other condition (states, dates, amounts).
const quickKeys = ['orderNoFrom', 'orderNoTo', 'name', 'kana', 'email', 'tel', 'product'] as const

export function applyQuick(base: OrderSearch, q: QuickQuery | null): OrderSearch {
  const out: OrderSearch = { ...base, page: 1, after: undefined }
  for (const k of quickKeys) out[k] = ''
  if (!q) return out
  if (q.field === 'orderNo') {
    out.orderNoFrom = q.value
    out.orderNoTo = q.to ?? q.value
  } else {
    out[q.field] = q.value
  }
  return out
}

// ---- Date presets (Japan time) -----------------------------------------------

export type DatePreset = 'today' | 'yesterday' | 'thisWeek' | 'lastWeek' | 'thisMonth' | 'lastMonth'
export const datePresets: DatePreset[] = ['today', 'yesterday', 'thisWeek', 'lastWeek', 'thisMonth', 'lastMonth']

// jstDay is the calendar day in Japan of an instant, as UTC midnight of that day (so
// the arithmetic below never meets the browser's own time zone).
function jstDay(now: Date): Date {
  const j = new Date(now.getTime() + 9 * 3600_000)
  return new Date(Date.UTC(j.getUTCFullYear(), j.getUTCMonth(), j.getUTCDate()))
}

const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86400_000)

// ymd shows a day as the back offices do: 2026/11/24.
export function ymd(d: Date): string {
  return `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`
}

// presetRange is the inclusive range of days a preset means, in Japan time. Weeks
// start on Monday; 今週 and 今月 end today.
export function presetRange(p: DatePreset, now: Date = new Date()): { from: string; to: string } {
  const today = jstDay(now)
  const monday = addDays(today, -((today.getUTCDay() + 6) % 7))
  const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1))
  switch (p) {
    case 'today':
      return { from: ymd(today), to: ymd(today) }
    case 'yesterday':
      return { from: ymd(addDays(today, -1)), to: ymd(addDays(today, -1)) }
    case 'thisWeek':
      return { from: ymd(monday), to: ymd(today) }
    case 'lastWeek':
      return { from: ymd(addDays(monday, -7)), to: ymd(addDays(monday, -1)) }
    case 'thisMonth':
      return { from: ymd(first), to: ymd(today) }
    case 'lastMonth':
      return { from: ymd(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1))), to: ymd(addDays(first, -1)) }
  }
}

// activePreset names the preset a search's 受注日 range is, if any.
export function activePreset(q: OrderSearch, now: Date = new Date()): DatePreset | null {
  const norm = (s: string) => s.trim().replace(/-/g, '/')
  for (const p of datePresets) {
    const r = presetRange(p, now)
    if (norm(q.orderedFrom) === r.from && norm(q.orderedTo) === r.to) return p
  }
  return null
}

// showDay shows a typed or stored day (2026-11-24 or 2026/11/24) as 2026/11/24.
export function showDay(s: string): string {
  return s.trim().replace(/-/g, '/')
}

// ---- Filter chips --------------------------------------------------------------

export interface Chip {
  key: string // what removing it clears ("statuses:new", "ordered"…)
  field: string // i18n key of the field's name
  value: string
}

// chipsOf lists every condition of a search as a chip; labels for codes come from
// the caller (label(kind, code)), and the range separator of its language.
export function chipsOf(q: OrderSearch, label: (kind: 'statuses' | 'methods' | 'paymentStates', code: string) => string, sep = '〜'): Chip[] {
  const out: Chip[] = []
  const range = (a: string, b: string) => (a === b ? a : `${a}${sep}${b}`)
  if (q.orderNoFrom || q.orderNoTo) out.push({ key: 'orderNo', field: 'orderNo', value: range(q.orderNoFrom, q.orderNoTo) })
  for (const k of ['name', 'kana', 'email', 'tel', 'product'] as const) {
    if (q[k]) out.push({ key: k, field: k === 'name' ? 'customerName' : k, value: q[k] })
  }
  for (const k of ['statuses', 'methods', 'paymentStates'] as const) {
    for (const c of q[k]) out.push({ key: `${k}:${c}`, field: k === 'statuses' ? 'status' : k === 'methods' ? 'paymentMethod' : 'paymentState', value: label(k, c) })
  }
  if (q.orderedFrom || q.orderedTo) out.push({ key: 'ordered', field: 'orderedAt', value: range(showDay(q.orderedFrom), showDay(q.orderedTo)) })
  if (q.updatedFrom || q.updatedTo) out.push({ key: 'updated', field: 'updatedAt', value: range(showDay(q.updatedFrom), showDay(q.updatedTo)) })
  if (q.totalMin || q.totalMax) out.push({ key: 'total', field: 'total', value: range(q.totalMin, q.totalMax) })
  return out
}

// withoutChip is the search without one chip's condition.
export function withoutChip(q: OrderSearch, key: string): OrderSearch {
  const out: OrderSearch = { ...q, page: 1, after: undefined }
  const [k, code] = key.split(':')
  switch (k) {
    case 'orderNo':
      out.orderNoFrom = ''
      out.orderNoTo = ''
      break
    case 'name': case 'kana': case 'email': case 'tel': case 'product':
      out[k] = ''
      break
    case 'statuses': case 'methods': case 'paymentStates':
      out[k] = q[k].filter((c) => c !== code)
      break
    case 'ordered':
      out.orderedFrom = ''
      out.orderedTo = ''
      break
    case 'updated':
      out.updatedFrom = ''
      out.updatedTo = ''
      break
    case 'total':
      out.totalMin = ''
      out.totalMax = ''
      break
  }
  return out
}

// isEmptySearch: no condition at all (the whole order book).
export function isEmptySearch(q: OrderSearch): boolean {
  const e = emptySearch()
  return (Object.keys(e) as (keyof OrderSearch)[]).every((k) => k === 'page' || k === 'pageSize' || k === 'sort' || k === 'after' || JSON.stringify(q[k]) === JSON.stringify(e[k]))
}

// ---- Selection -----------------------------------------------------------------

// select answers a click on a row's checkbox: alone it toggles the row; with Shift it
// gives every row from the anchor (the last row clicked) to this one the state the
// clicked row takes. It returns the new selection and the new anchor.
export function select(rows: OrderRow[], selected: ReadonlySet<number>, index: number, anchor: number | null, shift: boolean): { selected: Set<number>; anchor: number } {
  const out = new Set(selected)
  const row = rows[index]
  if (!row) return { selected: out, anchor: anchor ?? index }
  const on = !selected.has(row.id)
  if (shift && anchor !== null && rows[anchor]) {
    const [a, b] = anchor < index ? [anchor, index] : [index, anchor]
    for (let i = a; i <= b; i++) {
      const r = rows[i]
      if (r) (on ? out.add(r.id) : out.delete(r.id))
    }
  } else {
    if (on) out.add(row.id)
    else out.delete(row.id)
  }
  return { selected: out, anchor: index }
}

// selectAllIds are the rows 全選択 takes: every loaded row but the 保留 ones (an order
// on hold is not captured with the rest; it can still be ticked by hand).
export function selectAllIds(rows: OrderRow[]): number[] {
  return rows.filter((r) => r.status.code !== 'on_hold').map((r) => r.id)
}

// BulkPlan says which bulk actions a selection allows and on which orders: 売上 and
// キャンセル go to payments that are not waiting for an answer (in flight) or for the
// operator's choice (要確認); those get 一括照会 instead; 対応状況 and CSV take every
// selected order.
export interface BulkPlan {
  selected: OrderRow[]
  gateway: OrderRow[] // payments 売上 / キャンセル may be sent for
  capturable: number // of which 仮売上 (the rest are skipped by a 売上 run)
  inquire: OrderRow[] // an operation whose outcome the gateway must be asked for
  review: OrderRow[] // 要確認: the operator chooses in 受注詳細
}

export function bulkPlan(rows: OrderRow[], selected: ReadonlySet<number>): BulkPlan {
  const sel = rows.filter((r) => selected.has(r.id))
  const review = sel.filter((r) => r.paymentState.code === 'needs_review')
  const inquire = sel.filter((r) => r.inFlight)
  const gateway = sel.filter((r) => r.paymentId > 0 && !r.inFlight && r.paymentState.code !== 'needs_review')
  return { selected: sel, gateway, capturable: gateway.filter((r) => r.paymentState.code === 'authorized').length, inquire, review }
}

// ---- Sorting -------------------------------------------------------------------

// The sorts the store offers, per column: a click on a header goes to the next one.
const sortCycle: Record<string, string[]> = {
  orderNo: ['order_no_desc', 'order_no_asc'],
  orderedAt: ['ordered_desc', 'ordered_asc'],
  total: ['total_desc'],
  updatedAt: ['updated_desc'],
}

export function sortColumn(sort: string): { column: string; desc: boolean } {
  const s = sort || 'ordered_desc'
  for (const [column, sorts] of Object.entries(sortCycle)) {
    if (sorts.includes(s)) return { column, desc: s.endsWith('_desc') }
  }
  return { column: 'orderedAt', desc: true }
}

export function nextSort(sort: string, column: string): string {
  const sorts = sortCycle[column]
  if (!sorts) return sort
  const i = sorts.indexOf(sort || 'ordered_desc')
  return sorts[(i + 1) % sorts.length]
}

export function sortable(column: string): boolean {
  return column in sortCycle
}
