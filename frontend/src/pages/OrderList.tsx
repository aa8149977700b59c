import { forwardRef, memo, useCallback, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { emptySearch, toUIError, useApi } from '../api'
import type { OrderRow, OrderSearch, Options, UIError } from '../api'
import { BulkBar } from '../components/BulkBar'
import { Badge, ErrorMessage, Spinner } from '../components/common'
import { ExportDialog } from '../components/ExportDialog'
import { dateTime, useT, yen } from '../i18n'
import { useOffline } from '../offline'
import { tablesOf, useDataChanged } from '../live'
import {
  activePreset, applyQuick, bulkPlan, chipsOf, datePresets, isEmptySearch, nextSort, parseQuickSearch, presetRange, select,
  selectAllIds, showDay, sortColumn, sortable, withField, withoutChip,
} from './orderSearch'
import type { DatePreset, QuickField, QuickQuery } from './orderSearch'

// Rows are fetched PAGE at a time as the operator scrolls (by the store's key cursor).
const PAGE = 500
const ROW_HEIGHT = 30
const ADVANCED_KEY = 'kessaidesk.orders.advanced'
const SAVED_KEY = 'kessaidesk.orders.saved'

// Saved searches live in the window's localStorage (this PC, this user): a search is
// a view of the local data, not shop data to back up.
export interface SavedSearch { name: string; query: OrderSearch }
function loadSaved(): SavedSearch[] {
  try {
    const v = JSON.parse(localStorage.getItem(SAVED_KEY) ?? '[]')
    return Array.isArray(v) ? v : []
  } catch {
    return []
  }
}
function storeSaved(list: SavedSearch[]) {
  try {
    localStorage.setItem(SAVED_KEY, JSON.stringify(list))
  } catch {
    /* storage full or off: the list lives until the window closes */
  }
}

// The words of the quick box for a search (what a quick search set, shown back).
function quickText(q: OrderSearch): string {
  if (q.orderNoFrom && q.orderNoFrom === q.orderNoTo) return `#${q.orderNoFrom}`
  if (q.orderNoFrom && q.orderNoTo) return `${q.orderNoFrom}~${q.orderNoTo}` // as the parser reads it, in either language
  return q.kana || q.name || q.tel || q.email || q.product || ''
}

function isTyping(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)
}

// live: the rows were read again after another desktop's change (refresh).
interface Results { rows: OrderRow[]; total: number; totalAtLeast: boolean; next: string; live?: boolean }

// A refresh reads again at most this many pages of what is loaded; the rest loads again
// as the operator scrolls there.
const REFRESH_PAGES = 10

// useResults loads the search's rows page by page: the first page at once, the next
// when asked (the table asks as the operator scrolls near the end of what is loaded).
function useResults(query: OrderSearch) {
  const api = useApi()
  const [res, setRes] = useState<Results | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<UIError | null>(null)
  const gen = useRef(0)
  const loading = useRef(false)
  const load = useCallback((after: string | undefined) => {
    const g = ++gen.current
    loading.current = true
    setBusy(true)
    if (!after) setError(null)
    api.search({ ...query, page: 1, pageSize: PAGE, after })
      .then((p) => {
        if (g !== gen.current) return
        setRes((prev) => ({
          rows: after && prev ? prev.rows.concat(p.rows) : p.rows,
          total: after && prev ? prev.total : p.total,
          totalAtLeast: after && prev ? prev.totalAtLeast : p.totalAtLeast,
          next: p.next ?? '',
        }))
      })
      .catch((e) => g === gen.current && setError(toUIError(e)))
      .finally(() => {
        if (g !== gen.current) return
        loading.current = false
        setBusy(false)
      })
  }, [api, query])
  useEffect(() => {
    setRes(null)
    load(undefined)
    return () => {
      gen.current++
    }
  }, [load])
  const more = useCallback(() => {
    if (!loading.current && res?.next) load(res.next)
  }, [load, res])
  // refresh reads again the rows loaded so far (another desktop changed some), in place:
  // no spinner, the old rows stay until the new ones are all there. A refresh asked
  // while one runs makes it run once more.
  const loaded = useRef(0)
  loaded.current = res?.rows.length ?? 0
  const asked = useRef(0) // refreshes asked for
  const refreshing = useRef(false)
  const refresh = useCallback(async () => {
    asked.current++
    if (refreshing.current || (loaded.current === 0 && loading.current)) return // the first page is on its way
    refreshing.current = true
    try {
      for (let done = -1; done !== asked.current;) {
        done = asked.current
        const want = Math.min(loaded.current, REFRESH_PAGES * PAGE)
        const g = ++gen.current
        let rows: OrderRow[] = []
        let first: Results | null = null
        let after: string | undefined
        for (;;) {
          const p = await api.search({ ...query, page: 1, pageSize: PAGE, after })
          if (g !== gen.current) return
          first ??= { rows: [], total: p.total, totalAtLeast: p.totalAtLeast, next: '' }
          rows = rows.concat(p.rows)
          after = p.next || undefined
          if (!after || rows.length >= want) break
        }
        loading.current = false
        setBusy(false)
        setRes({ ...first, rows, next: after ?? '', live: true })
      }
    } catch (e) {
      setError(toUIError(e))
    } finally {
      refreshing.current = false
    }
  }, [api, query])
  return { res, busy, error, more, reload: () => load(undefined), refresh }
}

// rowCount is how many rows the table is tall: the exact count when the store counted
// them all, else what is loaded and one more page while there is more.
export function rowCount(r: Results | null): number {
  if (!r) return 0
  if (!r.totalAtLeast) return r.next ? Math.max(r.total, r.rows.length) : r.rows.length
  return r.next ? Math.max(r.total, r.rows.length + PAGE) : r.rows.length
}

// OrderList is the 受注管理 screen: a quick search box (order number, name in kanji or
// kana, telephone, e-mail, product), the back offices' full form folding out, filter
// chips and date presets, and the 受注一覧 as a dense virtualised table that loads as it
// scrolls, with selection, keyboard and bulk actions. emptyHint replaces "no results"
// when the shop has no orders at all (a new own shop).
export function OrderList({ query, onQuery, onOpen, emptyHint }: {
  query: OrderSearch
  onQuery: (q: OrderSearch) => void
  onOpen: (orderId: number, siblings?: number[]) => void // siblings: the list's order ids, for 前/次
  emptyHint?: React.ReactNode
}) {
  const api = useApi()
  const t = useT()
  const [options, setOptions] = useState<Options | null>(null)
  const [optionsError, setOptionsError] = useState<UIError | null>(null)
  const [text, setText] = useState(() => quickText(query))
  const [advanced, setAdvanced] = useState(() => localStorage.getItem(ADVANCED_KEY) === '1')
  const [selected, setSelected] = useState<Set<number>>(new Set())
  const [anchor, setAnchor] = useState<number | null>(null)
  const [active, setActive] = useState(-1)
  const [exporting, setExporting] = useState(false)
  const [saved, setSaved] = useState<SavedSearch[]>(loadSaved)
  const [saving, setSaving] = useState(false)
  const [saveName, setSaveName] = useState('')
  const [notice, setNotice] = useState('')
  const [bulkShown, setBulkShown] = useState(false) // a bulk run's result stays until the next search
  const quickRef = useRef<HTMLInputElement>(null)
  // The store counts up to 10,000 ("10,000件以上"); once more are loaded, or all, the
  // loaded rows say more.
  const shownCount = (r: Results) => (r.totalAtLeast && !r.next && r.rows.length >= r.total
    ? t.count(r.rows.length, false)
    : t.count(Math.max(r.total, r.rows.length), r.totalAtLeast))
  const { res, busy, error, more, reload, refresh } = useResults(query)
  const rows = useMemo(() => res?.rows ?? [], [res])
  // Another desktop changed orders or payments: the loaded rows are read again (not
  // while a dialog is open: a bulk run's confirmation keeps what it showed).
  useDataChanged(() => { void refresh() }, { tables: tablesOf.orders, waitForDialogs: true })

  useEffect(() => {
    api.options().then(setOptions).catch((e) => setOptionsError(toUIError(e)))
  }, [api])
  useEffect(() => {
    setText(quickText(query))
    setSelected(new Set())
    setAnchor(null)
    setActive(-1)
    setBulkShown(false)
  }, [query])
  useEffect(() => {
    if (selected.size > 0) setBulkShown(true)
  }, [selected])
  const toggleAdvanced = () => setAdvanced((a) => {
    localStorage.setItem(ADVANCED_KEY, a ? '0' : '1')
    return !a
  })

  const parsed = parseQuickSearch(text)
  const submitQuick = (q: QuickQuery | null) => onQuery(applyQuick(query, q))
  const label = (kind: 'statuses' | 'methods' | 'paymentStates', code: string) => {
    const list = options?.[kind] ?? []
    return t.label(list.find((l) => l.code === code)) || code
  }
  const chips = chipsOf(query, label, t.rangeSep)
  const preset = activePreset(query)
  const setPreset = (p: DatePreset) => {
    const r = preset === p ? { from: '', to: '' } : presetRange(p)
    onQuery({ ...query, orderedFrom: r.from, orderedTo: r.to, page: 1, after: undefined })
  }
  const togglePaymentState = (code: string) => {
    const has = query.paymentStates.includes(code)
    onQuery({ ...query, paymentStates: has ? query.paymentStates.filter((c) => c !== code) : [...query.paymentStates, code], page: 1, after: undefined })
  }


  const tableRef = useRef<VirtualTableHandle>(null)
  const count = rowCount(res)
  // After a refresh the operator's place is kept, by order id: the selection (of the rows
  // still there), the keyboard's row, the shift-click anchor and the row at the top of
  // the scroller.
  const prevRows = useRef<OrderRow[]>([])
  useLayoutEffect(() => {
    const before = prevRows.current
    prevRows.current = rows
    if (!res?.live) return
    const at = new Map(rows.map((r, i) => [r.id, i]))
    const moved = (i: number | null) => (i === null || !before[i] ? -1 : at.get(before[i].id) ?? -1)
    setSelected((sel) => {
      const kept = new Set([...sel].filter((id) => at.has(id)))
      return kept.size === sel.size ? sel : kept
    })
    setActive((a) => moved(a))
    setAnchor((a) => (moved(a) < 0 ? null : moved(a)))
    tableRef.current?.keepTop(before, at)
  }, [rows, res])
  const pick = (index: number, shift: boolean) => {
    const s = select(rows, selected, index, anchor, shift)
    setSelected(s.selected)
    setAnchor(s.anchor)
  }
  const allIds = useMemo(() => selectAllIds(rows), [rows])
  const allSelected = useMemo(() => allIds.length > 0 && allIds.every((id) => selected.has(id)), [allIds, selected])

  // Keyboard: / the quick box, j/k (or ↓/↑) move, x selects, Enter opens, Esc clears.
  const keys = useRef<(e: KeyboardEvent) => void>(() => {})
  keys.current = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey || document.querySelector('[role=dialog]')) return
    if (e.key === 'Escape') {
      if (document.activeElement === quickRef.current && text) {
        setText('')
        return
      }
      if (selected.size > 0) setSelected(new Set())
      else if (!isTyping(e)) setActive(-1)
      return
    }
    if (isTyping(e)) return
    const move = (to: number) => {
      const i = Math.max(0, Math.min(to, rows.length - 1))
      setActive(i)
      tableRef.current?.scrollToIndex(i)
      e.preventDefault()
    }
    switch (e.key) {
      case '/':
        e.preventDefault()
        quickRef.current?.focus()
        quickRef.current?.select()
        break
      case 'j': case 'ArrowDown':
        if (rows.length) move(active + 1)
        break
      case 'k': case 'ArrowUp':
        if (rows.length) move(active - 1)
        break
      case 'Enter':
        // A focused button or link keeps its own Enter.
        if (rows[active] && !(e.target as HTMLElement | null)?.closest?.('button, a')) {
          e.preventDefault()
          onOpen(rows[active].id, rows.map((r) => r.id))
        }
        break
      case 'x':
        if (rows[active]) {
          e.preventDefault()
          pick(active, e.shiftKey)
        }
        break
    }
  }
  useEffect(() => {
    const h = (e: KeyboardEvent) => keys.current(e)
    window.addEventListener('keydown', h)
    return () => window.removeEventListener('keydown', h)
  }, [])

  const plan = useMemo(() => bulkPlan(rows, selected), [rows, selected])
  const sort = sortColumn(query.sort)
  // Rows keep their identity while the list scrolls (the model changes only when a page
  // arrives): a row already drawn is not drawn again; the handlers reach the current
  // state through a ref so they need not change either.
  const openWithSiblings = (id: number) => onOpen(id, rows.map((r) => r.id))
  const handlers = useRef({ pick, open: openWithSiblings })
  handlers.current = { pick, open: openWithSiblings }
  const onRowClick = useCallback((index: number, id: number, e: React.MouseEvent) => {
    if (e.shiftKey || e.ctrlKey || e.metaKey) {
      e.preventDefault()
      handlers.current.pick(index, e.shiftKey)
      return
    }
    handlers.current.open(id)
  }, [])
  const onBoxClick = useCallback((index: number, shift: boolean) => handlers.current.pick(index, shift), [])

  return (
    <section className="page orders-page" data-testid="orders-page">
      <div className="orders-top">
        <h1>{t.navOrders}</h1>
        <form className="quick" data-testid="search-form" role="search" onSubmit={(e) => {
          e.preventDefault()
          submitQuick(parsed)
        }}>
          <input ref={quickRef} type="search" data-testid="quick-search" value={text} placeholder={t.qsPlaceholder} aria-label={t.qsPlaceholder}
            onChange={(e) => setText(e.target.value)} />
          <button type="submit" className="primary" data-testid="quick-submit">{t.search}</button>
          <button type="button" data-testid="search-advanced" aria-expanded={advanced} onClick={toggleAdvanced}>
            {advanced ? t.qsAdvancedClose : t.qsAdvanced}
          </button>
        </form>
        <SavedSearches saved={saved} query={query} onPick={(q) => onQuery({ ...q, page: 1, after: undefined })}
          onDelete={(name) => {
            const next = saved.filter((s) => s.name !== name)
            setSaved(next)
            storeSaved(next)
          }} onSave={() => setSaving(true)} />
      </div>
      {text.trim() && parsed && (
        <div className="quick-meaning" data-testid="quick-meaning" data-field={parsed.field}>
          <span className="muted">{t.qsMeaning}</span> <strong>{t.qsField[parsed.field]}</strong>
          {parsed.others.length > 0 && <span className="muted">　{t.qsOthers}</span>}
          {parsed.others.map((f: QuickField) => (
            <button type="button" key={f} className="chip-button" data-testid={`quick-as-${f}`} onClick={() => submitQuick(withField(parsed, f))}>{t.qsField[f]}</button>
          ))}
        </div>
      )}
      {saving && (
        <form className="save-search" data-testid="save-search-form" onSubmit={(e) => {
          e.preventDefault()
          const name = saveName.trim()
          if (!name) return
          const next = [...saved.filter((s) => s.name !== name), { name, query: { ...query, page: 1, after: undefined } }]
          setSaved(next)
          storeSaved(next)
          setSaving(false)
          setSaveName('')
          setNotice(t.savedDone(name))
        }}>
          <input autoFocus data-testid="save-search-name" value={saveName} placeholder={t.saveSearchName} aria-label={t.saveSearchName}
            onChange={(e) => setSaveName(e.target.value)} />
          <button type="submit" className="primary" data-testid="save-search-ok" disabled={!saveName.trim()}>{t.saveSearchOk}</button>
          <button type="button" onClick={() => setSaving(false)}>{t.no}</button>
        </form>
      )}
      {advanced && <AdvancedForm query={query} options={options} onQuery={onQuery} />}
      <div className="filters">
        <span className="filters-label">{t.orderedAt}</span>
        {datePresets.map((p) => (
          <button type="button" key={p} className={`chip-button ${preset === p ? 'on' : ''}`} aria-pressed={preset === p}
            data-testid={`preset-${p}`} title={`${presetRange(p).from}${t.rangeSep}${presetRange(p).to}`} onClick={() => setPreset(p)}>{t.datePreset[p]}</button>
        ))}
        <span className="filters-sep" />
        {['authorized', 'capture_failed', 'awaiting_deposit', 'needs_review'].map((code) => (
          <button type="button" key={code} className={`chip-button ${query.paymentStates.includes(code) ? 'on' : ''}`}
            aria-pressed={query.paymentStates.includes(code)} data-testid={`quick-state-${code}`} onClick={() => togglePaymentState(code)}>
            {label('paymentStates', code)}
          </button>
        ))}
      </div>
      {chips.length > 0 && (
        <div className="chips" data-testid="filter-chips">
          {chips.map((c) => (
            <span key={c.key} className="chip" data-testid="filter-chip" data-key={c.key}>
              <span className="chip-field">{(t as unknown as Record<string, string>)[c.field] ?? c.field}</span> {c.value}
              <button type="button" aria-label={t.chipRemove} title={t.chipRemove} data-testid={`chip-remove-${c.key}`}
                onClick={() => onQuery(withoutChip(query, c.key))}>×</button>
            </span>
          ))}
          <button type="button" className="link" data-testid="search-clear" onClick={() => {
            setText('')
            onQuery({ ...emptySearch(), sort: query.sort })
          }}>{t.clear}</button>
        </div>
      )}
      <ErrorMessage error={optionsError ?? error} />
      {notice && <div className="notice" role="status" onClick={() => setNotice('')}>{notice}</div>}

      <div className="results-head">
        {res && <span className="result-count" data-testid="result-count">{shownCount(res)}</span>}
        {busy && <Spinner text={t.searching} />}
        {selected.size > 0 && (
          <span className="selection" data-testid="selection">
            {t.selected(selected.size)}
            <button type="button" className="link" data-testid="selection-clear" onClick={() => {
              setSelected(new Set())
              setBulkShown(false)
            }}>{t.selectionClear}</button>
          </span>
        )}
        <span className="push-right keys-hint muted">{t.keysHint}</span>
        <button type="button" data-testid="export-open" disabled={!res || res.total === 0} onClick={() => setExporting(true)}>{t.exportButton}</button>
      </div>
      {(selected.size > 0 || bulkShown) && (
        <div className="bulk-area" data-testid="bulk-area">
          <BulkBar rows={plan.gateway} selected={plan.gateway.map((r) => r.id)} onDone={() => {
            setSelected(new Set())
            reload()
          }} />
          {plan.selected.length > 0 && <BulkStatus rows={plan.selected} options={options} onDone={reload} />}
          {plan.inquire.length > 0 && <BulkInquire rows={plan.inquire} onDone={reload} />}
          {(plan.review.length > 0 || plan.inquire.length > 0) && (
            <span className="muted bulk-note" data-testid="bulk-review-note">{t.bulkReviewNote(plan.review.length, plan.inquire.length)}</span>
          )}
        </div>
      )}
      {exporting && res && <ExportDialog query={query} count={res.total} onClose={() => setExporting(false)} />}
      {res && rows.length === 0 && !busy && (emptyHint && isEmptySearch(query) ? emptyHint : <p className="muted" data-testid="no-results">{t.noResults}</p>)}
      <VirtualTable ref={tableRef} rows={rows} count={count} hidden={!res || rows.length === 0} hasMore={!!res?.next} onMore={more}
        selected={selected} active={active} allSelected={allSelected} sort={sort}
        onSelectAll={() => setSelected(allSelected ? new Set() : new Set(allIds))}
        onSort={(id) => onQuery({ ...query, sort: nextSort(query.sort, id), page: 1, after: undefined })}
        onRowClick={onRowClick} onBox={onBoxClick} />
    </section>
  )
}

export interface VirtualTableHandle {
  scrollToIndex: (i: number) => void
  // keepTop keeps the row that was at the top in view after the rows were read again
  // (before: the old rows; at: the new index of each order id). At the very top the list
  // stays there: a new order appears.
  keepTop: (before: OrderRow[], at: Map<number, number>) => void
}

// VirtualTable is the 受注一覧 body: a scroller as tall as the window allows, rows drawn
// for what is in view (TanStack Virtual) and described by TanStack Table. It alone
// re-renders as the list scrolls; it asks for the next page near the end of what is
// loaded.
const VirtualTable = memo(forwardRef<VirtualTableHandle, {
  rows: OrderRow[]; count: number; hidden: boolean; hasMore: boolean; onMore: () => void
  selected: ReadonlySet<number>; active: number; allSelected: boolean; sort: { column: string; desc: boolean }
  onSelectAll: () => void; onSort: (column: string) => void
  onRowClick: (index: number, id: number, e: React.MouseEvent) => void; onBox: (index: number, shift: boolean) => void
}>(function VirtualTable({ rows, count, hidden, hasMore, onMore, selected, active, allSelected, sort, onSelectAll, onSort, onRowClick, onBox }, ref) {
  const t = useT()
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Before the first layout (and where there is none, as in tests) assume a window's
    // worth of rows.
    initialRect: { width: 1200, height: 600 },
  })
  useImperativeHandle(ref, () => ({
    scrollToIndex: (i: number) => virtualizer.scrollToIndex(i, { align: 'auto' }),
    keepTop: (before, at) => {
      const el = scrollRef.current
      if (!el || el.scrollTop <= 0) return
      const i = Math.floor(el.scrollTop / ROW_HEIGHT)
      const j = before[i] ? at.get(before[i].id) : undefined
      if (j !== undefined && j !== i) el.scrollTop = j * ROW_HEIGHT + (el.scrollTop % ROW_HEIGHT)
    },
  }), [virtualizer])
  // Without a layout (a hidden list being shown, tests) the virtualizer has no window
  // yet: the first rows are drawn until it measures one.
  const measured = virtualizer.getVirtualItems()
  const items = measured.length > 0 || rows.length === 0 ? measured
    : rows.slice(0, 40).map((_, index) => ({ index, start: index * ROW_HEIGHT, end: (index + 1) * ROW_HEIGHT }))
  const lastIndex = items.length ? items[items.length - 1].index : 0
  useEffect(() => {
    if (hasMore && lastIndex >= rows.length - 60) onMore()
  }, [lastIndex, rows.length, hasMore, onMore])
  // The table is given the rows in view only: its model is rebuilt for tens of rows as
  // the list scrolls, never for the 100,000 loaded; a row already drawn is kept (RowView
  // compares the order, not the model's row).
  const visible = useMemo(() => items.map((it) => rows[it.index]).filter((r): r is OrderRow => !!r), [items, rows])
  const table = useOrderTable(visible, t)
  const byId = new Map(table.getRowModel().rows.map((r) => [r.original.id, r]))
  return (
    <div className="table-scroll" ref={scrollRef} data-testid="result-scroll" hidden={hidden}>
      <table className="orders dense" data-testid="result-table" aria-rowcount={count}>
        <thead>
          {table.getHeaderGroups().map((g) => (
            <tr key={g.id}>
              {g.headers.map((h) => {
                const id = h.column.id
                if (id === 'select') {
                  return (
                    <th key={h.id} className="c-select"><input type="checkbox" aria-label={t.selectAll} data-testid="select-all" checked={allSelected} title={t.selectAllHint}
                      onChange={onSelectAll} /></th>
                  )
                }
                const on = sort.column === id
                return (
                  <th key={h.id} className={`c-${id}`} aria-sort={on ? (sort.desc ? 'descending' : 'ascending') : undefined}>
                    {sortable(id)
                      ? <button type="button" className="sort" data-testid={`sort-${id}`} onClick={() => onSort(id)}>
                        <table.FlexRender header={h} />{on && <span aria-hidden="true">{sort.desc ? ' ▼' : ' ▲'}</span>}
                      </button>
                      : <table.FlexRender header={h} />}
                  </th>
                )
              })}
            </tr>
          ))}
        </thead>
        <tbody style={{ height: count * ROW_HEIGHT }}>
          {items.map((it) => {
            const o = rows[it.index]
            const r = o && byId.get(o.id)
            if (!r) {
              return <tr key={`p${it.index}`} className="placeholder" style={{ transform: `translateY(${it.start}px)` }}><td><span className="skeleton" /></td></tr>
            }
            return (
              <RowView key={o.id} row={r} table={table} lang={t.lang} index={it.index} start={it.start} selected={selected.has(o.id)}
                active={it.index === active} onClick={onRowClick} onBox={onBox} />
            )
          })}
        </tbody>
      </table>
    </div>
  )
}))

type Dict = ReturnType<typeof useT>
type OrderTable = ReturnType<typeof useOrderTable>
type TableRow = ReturnType<OrderTable['getRowModel']>['rows'][number]

// RowView is one row of the 受注一覧, placed at its offset in the scrolled body (rows do
// not move while the list scrolls, so an unchanged row is not drawn again).
const RowView = memo(function RowView({ row, table, index, start, selected, active, onClick, onBox }: {
  row: TableRow; table: OrderTable; lang: string; index: number; start: number; selected: boolean; active: boolean
  onClick: (index: number, id: number, e: React.MouseEvent) => void; onBox: (index: number, shift: boolean) => void
}) {
  const o = row.original
  return (
    <tr data-testid="result-row" data-order-no={o.orderNo} data-index={index} style={{ transform: `translateY(${start}px)` }}
      className={`${selected ? 'selected' : ''} ${active ? 'active' : ''}`} aria-selected={selected} onClick={(e) => onClick(index, o.id, e)}>
      {row.getAllCells().map((c) => (
        <td key={c.id} className={`c-${c.column.id}`} onClick={c.column.id === 'select' ? (e) => e.stopPropagation() : undefined}>
          {c.column.id === 'select'
            ? <input type="checkbox" aria-label={o.orderNo} data-testid="select-row" checked={selected} onChange={() => {}}
              onClick={(e) => {
                e.stopPropagation()
                onBox(index, e.shiftKey)
              }} />
            : <table.FlexRender cell={c} />}
        </td>
      ))}
    </tr>
  )
}, (a, b) => a.row.original === b.row.original && a.lang === b.lang && a.index === b.index && a.start === b.start && a.selected === b.selected &&
  a.active === b.active && a.onClick === b.onClick && a.onBox === b.onBox)
const helper = createColumnHelper<typeof features, OrderRow>()
const features = tableFeatures({})

// useOrderTable describes the 受注一覧's columns to TanStack Table (sorting is the
// store's: a header click asks for another sort).
function useOrderTable(rows: OrderRow[], t: Dict) {
  const columns = useMemo(() => helper.columns([
    helper.display({ id: 'select', header: '' }),
    helper.accessor('orderNo', { id: 'orderNo', header: () => t.orderNo, cell: (c) => c.getValue() }),
    helper.accessor('orderedAt', { id: 'orderedAt', header: () => t.orderedAt, cell: (c) => dateTime(c.getValue()) }),
    helper.accessor('customerName', {
      id: 'customerName', header: () => t.customerName,
      cell: (c) => <>{c.getValue()}<span className="sub"> {c.row.original.customerKana}</span></>,
    }),
    helper.accessor('paymentMethod', { id: 'paymentMethod', header: () => t.paymentMethod, cell: (c) => t.label(c.getValue()) }),
    helper.accessor('total', { id: 'total', header: () => t.total, cell: (c) => yen(c.getValue(), t.lang) }),
    helper.accessor('paymentState', {
      id: 'paymentState', header: () => t.paymentState,
      cell: (c) => {
        const r = c.row.original
        return (
          <>
            <Badge label={r.paymentState} kind="payment" />
            {r.inFlight && <span className="tag warn">{t.inFlight}</span>}
            {r.authDaysLeft !== null && <span className={`days ${r.authDaysLeft <= 7 ? 'warn' : ''}`}>{t.daysLeft(r.authDaysLeft)}</span>}
          </>
        )
      },
    }),
    helper.accessor('status', { id: 'status', header: () => t.status, cell: (c) => <Badge label={c.getValue()} kind="status" /> }),
  // eslint-disable-next-line react-hooks/exhaustive-deps
  ]), [t.lang])
  return useTable({ features, columns, data: rows, getRowId: (r: OrderRow) => String(r.id) })
}

// SavedSearches: the operator's named searches (this PC), one click to run again.
function SavedSearches({ saved, query, onPick, onDelete, onSave }: {
  saved: SavedSearch[]; query: OrderSearch; onPick: (q: OrderSearch) => void; onDelete: (name: string) => void; onSave: () => void
}) {
  const t = useT()
  const current = saved.find((s) => JSON.stringify({ ...s.query, page: 1 }) === JSON.stringify({ ...query, page: 1, after: undefined }))
  return (
    <div className="saved" data-testid="saved-searches">
      <select data-testid="saved-select" aria-label={t.savedSearches} value={current?.name ?? ''} disabled={saved.length === 0}
        title={saved.length === 0 ? t.savedNone : undefined} onChange={(e) => {
        const s = saved.find((x) => x.name === e.target.value)
        if (s) onPick(s.query)
      }}>
        <option value="">{t.savedSearches}</option>
        {saved.map((s) => <option key={s.name} value={s.name}>{s.name}</option>)}
      </select>
      {current
        ? <button type="button" data-testid="saved-delete" onClick={() => onDelete(current.name)}>{t.savedDelete}</button>
        : <button type="button" data-testid="save-search" disabled={isEmptySearch(query)} onClick={onSave}>{t.saveSearch}</button>}
    </div>
  )
}

// AdvancedForm is the back offices' full search form, folded out under the quick box.
function AdvancedForm({ query, options, onQuery }: { query: OrderSearch; options: Options | null; onQuery: (q: OrderSearch) => void }) {
  const t = useT()
  const [form, setForm] = useState<OrderSearch>(query)
  useEffect(() => setForm(query), [query])
  const set = <K extends keyof OrderSearch>(k: K, v: OrderSearch[K]) => setForm((f) => ({ ...f, [k]: v }))
  const toggle = (k: 'statuses' | 'methods' | 'paymentStates', code: string) =>
    setForm((f) => ({ ...f, [k]: f[k].includes(code) ? f[k].filter((c) => c !== code) : [...f[k], code] }))
  const text = (k: keyof OrderSearch, label: string, testId: string, placeholder: string) => (
    <label className="field">
      <span>{label}</span>
      <input data-testid={testId} value={form[k] as string} placeholder={placeholder} onChange={(e) => set(k, e.target.value as never)} />
    </label>
  )
  const range = (label: string, a: keyof OrderSearch, b: keyof OrderSearch, ta: string, tb: string, placeholder: string, day = false) => (
    <label className="field range">
      <span>{label}</span>
      <input data-testid={ta} value={day ? showDay(form[a] as string) : (form[a] as string)} placeholder={placeholder} inputMode={day ? undefined : 'numeric'}
        onChange={(e) => set(a, e.target.value as never)} />
      <em>{t.rangeSep.trim()}</em>
      <input data-testid={tb} value={day ? showDay(form[b] as string) : (form[b] as string)} placeholder={placeholder} inputMode={day ? undefined : 'numeric'}
        onChange={(e) => set(b, e.target.value as never)} />
    </label>
  )
  const checks = (k: 'statuses' | 'methods' | 'paymentStates', legend: string, prefix: string) => (
    <fieldset>
      <legend>{legend}</legend>
      {options?.[k].map((s) => (
        <label key={s.code}>
          <input type="checkbox" data-testid={`${prefix}-${s.code}`} checked={form[k].includes(s.code)} onChange={() => toggle(k, s.code)} /> {t.label(s)}
        </label>
      ))}
    </fieldset>
  )
  return (
    <form className="search advanced" data-testid="search-advanced-form" onSubmit={(e) => {
      e.preventDefault()
      onQuery({ ...form, page: 1, after: undefined })
    }}>
      <div className="grid">
        {range(t.orderNo, 'orderNoFrom', 'orderNoTo', 'search-order-from', 'search-order-to', t.phNumber)}
        {text('name', t.customerName, 'search-name', t.phName)}
        {text('kana', t.kana, 'search-kana', t.phKana)}
        {text('email', t.email, 'search-email', t.phPart)}
        {text('tel', t.tel, 'search-tel', t.phTel)}
        {text('product', t.product, 'search-product', t.phPart)}
        {range(t.orderedAt, 'orderedFrom', 'orderedTo', 'search-ordered-from', 'search-ordered-to', t.phDay, true)}
        {range(t.updatedAt, 'updatedFrom', 'updatedTo', 'search-updated-from', 'search-updated-to', t.phDay, true)}
        {range(t.total, 'totalMin', 'totalMax', 'search-total-min', 'search-total-max', t.phYen)}
      </div>
      {options && (
        <div className="checks">
          {checks('statuses', t.status, 'search-status')}
          {checks('methods', t.paymentMethod, 'search-method')}
          {checks('paymentStates', t.paymentState, 'search-payment-state')}
        </div>
      )}
      <div className="buttons">
        <button type="submit" className="primary" data-testid="search-submit">{t.search}</button>
      </div>
    </form>
  )
}

// BulkStatus sets the 対応状況 of the selected orders (発送済み after a day's shipping, …),
// one order at a time through the same check as 受注詳細: a status that would hide the
// payment's state is refused for that order, with the reason, and the others go on.
function BulkStatus({ rows, options, onDone }: { rows: OrderRow[]; options: Options | null; onDone: () => void }) {
  const api = useApi()
  const t = useT()
  const offline = useOffline()
  const [status, setStatus] = useState('')
  const [running, setRunning] = useState(false)
  const [done, setDone] = useState<{ ok: number; refused: { orderNo: string; message: string }[] } | null>(null)
  const run = async () => {
    setRunning(true)
    setDone(null)
    let ok = 0
    const refused: { orderNo: string; message: string }[] = []
    for (const r of rows) {
      try {
        await api.setOrderStatus(r.id, status)
        ok++
      } catch (e) {
        const err = toUIError(e)
        refused.push({ orderNo: r.orderNo, message: t.lang === 'en' ? err.messageEn || err.message : err.message })
      }
    }
    setDone({ ok, refused })
    setRunning(false)
    onDone()
  }
  return (
    <div className="bulk-status" data-testid="bulk-status">
      <label className="inline">
        <span>{t.bulkStatusTo}</span>
        <select data-testid="bulk-status-select" value={status} disabled={running} onChange={(e) => setStatus(e.target.value)}>
          <option value="">{t.status}</option>
          {options?.statuses.map((s) => <option key={s.code} value={s.code}>{t.label(s)}</option>)}
        </select>
      </label>
      <button type="button" data-testid="bulk-status-apply" disabled={!status || running || rows.length === 0 || !!offline} title={offline || undefined} onClick={run}>{t.bulkStatusApply(rows.length)}</button>
      {done && (
        <div className="bulk-status-result" role="status" data-testid="bulk-status-result">
          {done.ok > 0 && <span>{t.bulkStatusChanged(done.ok)}</span>}
          {done.refused.length > 0 && <span className="warn"> {t.bulkStatusRefused(done.refused.length)}</span>}
          {done.refused.length > 0 && (
            <ul>{done.refused.map((r) => <li key={r.orderNo} data-testid="bulk-status-refused"><span className="mono">{r.orderNo}</span> {r.message}</li>)}</ul>
          )}
        </div>
      )}
    </div>
  )
}

// BulkInquire asks the gateway about each selected order whose operation's outcome is
// not known yet (一括照会): the same inquiry 受注詳細's 照会 sends, one order at a time.
function BulkInquire({ rows, onDone }: { rows: OrderRow[]; onDone: () => void }) {
  const api = useApi()
  const t = useT()
  const offline = useOffline()
  const [running, setRunning] = useState(false)
  const [results, setResults] = useState<{ orderNo: string; ok: boolean; message: string }[]>([])
  const run = async () => {
    setRunning(true)
    setResults([])
    const out: { orderNo: string; ok: boolean; message: string }[] = []
    for (const r of rows) {
      try {
        const d = await api.detail(r.id)
        const ops = d.payments.flatMap((p) => p.operations).filter((op) => ['pending', 'sent', 'unknown'].includes(op.state.code))
        for (const op of ops) {
          const res = await api.resolve(op.id)
          out.push({ orderNo: r.orderNo, ok: true, message: res.message })
        }
      } catch (e) {
        const err = toUIError(e)
        out.push({ orderNo: r.orderNo, ok: false, message: t.lang === 'en' ? err.messageEn || err.message : err.message })
      }
      setResults([...out])
    }
    setRunning(false)
    onDone()
  }
  return (
    <div className="bulk-inquire" data-testid="bulk-inquire">
      <button type="button" className="primary" data-testid="bulk-inquire-run" disabled={running || !!offline} title={offline || undefined} onClick={run}>{t.bulkInquire(rows.length)}</button>
      {results.length > 0 && (
        <ul className="bulk-inquire-results">
          {results.map((r, i) => <li key={i} className={r.ok ? '' : 'warn'} data-testid="bulk-inquire-item"><span className="mono">{r.orderNo}</span> {r.message}</li>)}
        </ul>
      )}
    </div>
  )
}

// OrderTable is the 受注一覧 table (search results and work lists).
export function OrderTable({ rows, onOpen, selected, onSelect }: {
  rows: OrderRow[]
  onOpen: (orderId: number, siblings?: number[]) => void
  selected?: number[]
  onSelect?: (ids: number[]) => void
}) {
  const t = useT()
  const pick = (id: number) => onSelect?.(selected?.includes(id) ? selected.filter((x) => x !== id) : [...(selected ?? []), id])
  return (
    <table className="orders" data-testid="result-table">
      <thead>
        <tr>
          {onSelect && <th><input type="checkbox" aria-label={t.selectAll} data-testid="select-all"
            checked={rows.length > 0 && rows.every((r) => selected?.includes(r.id))}
            onChange={(e) => onSelect(e.target.checked ? rows.map((r) => r.id) : [])} /></th>}
          <th>{t.orderNo}</th><th>{t.orderedAt}</th><th>{t.customerName}</th><th>{t.paymentMethod}</th>
          <th className="num">{t.total}</th><th>{t.paymentState}</th><th>{t.status}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-testid="result-row" data-order-no={r.orderNo} tabIndex={0}
            onClick={() => onOpen(r.id, rows.map((x) => x.id))} onKeyDown={(e) => e.key === 'Enter' && onOpen(r.id, rows.map((x) => x.id))}>
            {onSelect && <td onClick={(e) => e.stopPropagation()}><input type="checkbox" aria-label={r.orderNo} data-testid="select-row"
              checked={selected?.includes(r.id) ?? false} onChange={() => pick(r.id)} /></td>}
            <td className="mono">{r.orderNo}{r.demo && <span className="tag">{t.demo}</span>}</td>
            <td>{dateTime(r.orderedAt)}</td>
            <td>{r.customerName}<div className="sub">{r.customerKana}</div></td>
            <td>{t.label(r.paymentMethod)}</td>
            <td className="num">{yen(r.total, t.lang)}</td>
            <td>
              <Badge label={r.paymentState} kind="payment" />
              {r.inFlight && <span className="tag warn">{t.inFlight}</span>}
              {r.authDaysLeft !== null && <div className={`sub ${r.authDaysLeft <= 7 ? 'warn' : ''}`}>{t.daysLeft(r.authDaysLeft)}</div>}
            </td>
            <td><Badge label={r.status} kind="status" /></td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
