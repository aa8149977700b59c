import { useEffect, useState } from 'react'
import { emptySearch, toUIError, useApi } from '../api'
import type { OrderPage, OrderRow, OrderSearch, Options, UIError } from '../api'
import { Badge, ErrorMessage, Spinner } from '../components/common'
import { ExportDialog } from '../components/ExportDialog'
import { dateTime, useT, yen } from '../i18n'

// isEmptySearch: no condition at all (the whole order book).
function isEmptySearch(q: OrderSearch): boolean {
  const e = emptySearch()
  return (Object.keys(e) as (keyof OrderSearch)[]).every((k) => k === 'page' || k === 'pageSize' || k === 'sort' || JSON.stringify(q[k]) === JSON.stringify(e[k]))
}

// OrderList is the 受注管理 screen: the back offices' search form and the 受注一覧.
// emptyHint replaces "no results" when the shop has no orders at all (a new own shop).
export function OrderList({ query, onQuery, onOpen, emptyHint }: {
  query: OrderSearch
  onQuery: (q: OrderSearch) => void
  onOpen: (orderId: number) => void
  emptyHint?: React.ReactNode
}) {
  const api = useApi()
  const t = useT()
  const [form, setForm] = useState<OrderSearch>(query)
  const [options, setOptions] = useState<Options | null>(null)
  const [page, setPage] = useState<OrderPage | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<UIError | null>(null)
  const [exporting, setExporting] = useState(false)

  useEffect(() => {
    api.options().then(setOptions).catch((e) => setError(toUIError(e)))
  }, [api])

  // The results follow the submitted query (kept by the parent, so 戻る keeps them).
  useEffect(() => {
    let live = true
    setBusy(true)
    setError(null)
    api.search(query)
      .then((p) => live && setPage(p))
      .catch((e) => live && setError(toUIError(e)))
      .finally(() => live && setBusy(false))
    return () => {
      live = false
    }
  }, [api, query])

  const set = <K extends keyof OrderSearch>(k: K, v: OrderSearch[K]) => setForm((f) => ({ ...f, [k]: v }))
  const toggle = (k: 'statuses' | 'methods' | 'paymentStates', code: string) =>
    setForm((f) => ({ ...f, [k]: f[k].includes(code) ? f[k].filter((c) => c !== code) : [...f[k], code] }))
  const submit = (e?: React.FormEvent) => {
    e?.preventDefault()
    onQuery({ ...form, page: 1 })
  }
  const pages = page ? Math.max(1, Math.ceil(page.total / page.pageSize)) : 1

  const text = (k: keyof OrderSearch, label: string, testId: string, placeholder = '') => (
    <label className="field">
      <span>{label}</span>
      <input data-testid={testId} value={form[k] as string} placeholder={placeholder}
        onChange={(e) => set(k, e.target.value as never)} />
    </label>
  )

  return (
    <section className="page">
      <h1>{t.navOrders}</h1>
      <form className="search" data-testid="search-form" onSubmit={submit}>
        <div className="grid">
          <label className="field range">
            <span>{t.orderNo}</span>
            <input data-testid="search-order-from" value={form.orderNoFrom} onChange={(e) => set('orderNoFrom', e.target.value)} />
            <em>〜</em>
            <input data-testid="search-order-to" value={form.orderNoTo} onChange={(e) => set('orderNoTo', e.target.value)} />
          </label>
          {text('name', t.customerName, 'search-name', '山田')}
          {text('kana', t.kana, 'search-kana', 'ヤマダ')}
          {text('email', t.email, 'search-email')}
          {text('tel', t.tel, 'search-tel')}
          {text('product', t.product, 'search-product')}
          <label className="field range">
            <span>{t.orderedAt}</span>
            <input type="date" data-testid="search-ordered-from" value={form.orderedFrom} onChange={(e) => set('orderedFrom', e.target.value)} />
            <em>〜</em>
            <input type="date" data-testid="search-ordered-to" value={form.orderedTo} onChange={(e) => set('orderedTo', e.target.value)} />
          </label>
          <label className="field range">
            <span>{t.updatedAt}</span>
            <input type="date" data-testid="search-updated-from" value={form.updatedFrom} onChange={(e) => set('updatedFrom', e.target.value)} />
            <em>〜</em>
            <input type="date" data-testid="search-updated-to" value={form.updatedTo} onChange={(e) => set('updatedTo', e.target.value)} />
          </label>
          <label className="field range">
            <span>{t.total}</span>
            <input inputMode="numeric" data-testid="search-total-min" value={form.totalMin} onChange={(e) => set('totalMin', e.target.value)} />
            <em>〜</em>
            <input inputMode="numeric" data-testid="search-total-max" value={form.totalMax} onChange={(e) => set('totalMax', e.target.value)} />
          </label>
        </div>
        {options && (
          <div className="checks">
            <fieldset>
              <legend>{t.status}</legend>
              {options.statuses.map((s) => (
                <label key={s.code}>
                  <input type="checkbox" data-testid={`search-status-${s.code}`} checked={form.statuses.includes(s.code)}
                    onChange={() => toggle('statuses', s.code)} /> {t.label(s)}
                </label>
              ))}
            </fieldset>
            <fieldset>
              <legend>{t.paymentMethod}</legend>
              {options.methods.map((s) => (
                <label key={s.code}>
                  <input type="checkbox" data-testid={`search-method-${s.code}`} checked={form.methods.includes(s.code)}
                    onChange={() => toggle('methods', s.code)} /> {t.label(s)}
                </label>
              ))}
            </fieldset>
            <fieldset>
              <legend>{t.paymentState}</legend>
              {options.paymentStates.map((s) => (
                <label key={s.code}>
                  <input type="checkbox" data-testid={`search-payment-state-${s.code}`} checked={form.paymentStates.includes(s.code)}
                    onChange={() => toggle('paymentStates', s.code)} /> {t.label(s)}
                </label>
              ))}
            </fieldset>
          </div>
        )}
        <div className="buttons">
          <button type="submit" className="primary" data-testid="search-submit">{t.search}</button>
          <button type="button" data-testid="search-clear" onClick={() => {
            setForm(emptySearch())
            onQuery(emptySearch())
          }}>{t.clear}</button>
        </div>
      </form>

      <ErrorMessage error={error} />
      <div className="results-head">
        <h2>{t.results}</h2>
        {page && <span data-testid="result-count">{t.count(page.total, page.totalAtLeast)}</span>}
        {busy && <Spinner text={t.searching} />}
        <button className="push-right" data-testid="export-open" disabled={!page || page.total === 0} onClick={() => setExporting(true)}>{t.exportButton}</button>
      </div>
      {exporting && page && <ExportDialog query={query} count={page.total} onClose={() => setExporting(false)} />}
      {page && page.rows.length === 0 && !busy && (emptyHint && isEmptySearch(query) ? emptyHint : <p className="muted" data-testid="no-results">{t.noResults}</p>)}
      {page && page.rows.length > 0 && <OrderTable rows={page.rows} onOpen={onOpen} />}
      {page && page.total > page.pageSize && (
        <div className="pager">
          <button disabled={query.page <= 1} onClick={() => onQuery({ ...query, page: query.page - 1 })}>{t.prev}</button>
          <span>{t.page(query.page, pages)}</span>
          <button disabled={query.page >= pages} data-testid="page-next" onClick={() => onQuery({ ...query, page: query.page + 1 })}>{t.next}</button>
        </div>
      )}
    </section>
  )
}

// OrderTable is the 受注一覧 table (search results and work lists).
export function OrderTable({ rows, onOpen, selected, onSelect }: {
  rows: OrderRow[]
  onOpen: (orderId: number) => void
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
            onClick={() => onOpen(r.id)} onKeyDown={(e) => e.key === 'Enter' && onOpen(r.id)}>
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
