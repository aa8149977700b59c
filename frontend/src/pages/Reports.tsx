import { useCallback, useEffect, useState } from 'react'
import { toUIError, useApi } from '../api'
import type {
  DueView, ExportEncoding, FeeSchedule, FeesView, ProfileView, ReportQuery, ReportTable, SalesView, UIError,
} from '../api'
import { ErrorMessage, Spinner } from '../components/common'
import { useT, yen } from '../i18n'
import { SalesChart } from './SalesChart'

type Tab = 'sales' | 'outstanding' | 'deposits' | 'fees'

const pad = (n: number) => String(n).padStart(2, '0')
const ymd = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
const lastDay = (y: number, m: number) => new Date(y, m + 1, 0)

// presets are the periods operators ask for most.
export function presetRange(code: string, today = new Date()): [string, string] {
  const y = today.getFullYear()
  const m = today.getMonth()
  switch (code) {
    case 'lastMonth': return [ymd(new Date(y, m - 1, 1)), ymd(lastDay(y, m - 1))]
    case 'last30': return [ymd(new Date(y, m, today.getDate() - 29)), ymd(today)]
    case 'thisYear': return [ymd(new Date(y, 0, 1)), ymd(new Date(y, 11, 31))]
    case 'last12': return [ymd(new Date(y, m - 11, 1)), ymd(lastDay(y, m))]
  }
  return [ymd(new Date(y, m, 1)), ymd(lastDay(y, m))]
}

const methods = ['card', 'konbini', 'payeasy', 'netbank']

// Reports is 売上集計: sales by period with a chart and its table, 仮売上 outstanding,
// deposits awaited and the month's gateway fees — each table with CSV出力.
export function Reports({ tab: initial }: { tab?: string } = {}) {
  const api = useApi()
  const t = useT()
  const [tab, setTab] = useState<Tab>(() => (initial && ['sales', 'outstanding', 'deposits', 'fees'].includes(initial) ? initial as Tab : 'sales'))
  const [profiles, setProfiles] = useState<ProfileView[]>([])
  // The last 30 days by default: a full chart even on the 2nd of a month.
  const [from, to] = presetRange('last30')
  const [q, setQ] = useState<ReportQuery>({ from, to, granularity: 'day', basis: 'sale', profileIds: [], methods: [] })
  const [month, setMonth] = useState(to.slice(0, 7))
  const [encoding, setEncoding] = useState<ExportEncoding>('cp932')
  const [error, setError] = useState<UIError | null>(null)
  const [notice, setNotice] = useState('')
  useEffect(() => {
    api.profiles().then(setProfiles).catch((e) => setError(toUIError(e)))
  }, [api])

  const exportCSV = async (table: ReportTable) => {
    setError(null)
    setNotice('')
    try {
      const r = await api.exportReport(table, q, month, encoding, '')
      if (r.path) setNotice(t.rep.exported(r.path))
    } catch (e) {
      setError(toUIError(e))
    }
  }
  const csv = (table: ReportTable) => (
    <span className="csv-out">
      <select aria-label={t.encoding} value={encoding} onChange={(e) => setEncoding(e.target.value as ExportEncoding)}>
        <option value="cp932">{t.encodingExcel}</option>
        <option value="utf-8">UTF-8</option>
      </select>
      <button data-testid={`report-csv-${table}`} onClick={() => exportCSV(table)}>{t.rep.csv}</button>
    </span>
  )
  const filters = (withPeriod: boolean) => (
    <div className="report-filters" data-testid="report-filters">
      {withPeriod && <>
        <select aria-label={t.rep.period} data-testid="report-preset" defaultValue="last30" onChange={(e) => {
          const [f, tt] = presetRange(e.target.value)
          setQ({ ...q, from: f, to: tt, granularity: e.target.value === 'thisYear' || e.target.value === 'last12' ? 'month' : q.granularity })
        }}>
          {(['thisMonth', 'lastMonth', 'last30', 'thisYear', 'last12'] as const).map((p) => <option key={p} value={p}>{t.rep.presets[p]}</option>)}
        </select>
        <input type="date" aria-label={t.rep.from} data-testid="report-from" value={q.from} onChange={(e) => setQ({ ...q, from: e.target.value })} />
        <span>{t.rangeSep}</span>
        <input type="date" aria-label={t.rep.to} data-testid="report-to" value={q.to} onChange={(e) => setQ({ ...q, to: e.target.value })} />
        <span className="segmented" role="group" aria-label={t.rep.granularity}>
          {(['day', 'week', 'month'] as const).map((g) => (
            <button key={g} className={q.granularity === g ? 'active' : ''} data-testid={`report-by-${g}`} aria-pressed={q.granularity === g}
              onClick={() => setQ({ ...q, granularity: g })}>{t.rep.by[g]}</button>
          ))}
        </span>
        <select aria-label={t.rep.basis} data-testid="report-basis" value={q.basis} onChange={(e) => setQ({ ...q, basis: e.target.value as ReportQuery['basis'] })}>
          <option value="sale">{t.rep.basisSale}</option>
          <option value="ordered">{t.rep.basisOrdered}</option>
        </select>
      </>}
      <select aria-label={t.rep.profile} value={q.profileIds[0] ?? 0} onChange={(e) => setQ({ ...q, profileIds: Number(e.target.value) ? [Number(e.target.value)] : [] })}>
        <option value={0}>{t.rep.allProfiles}</option>
        {profiles.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
      </select>
      <select aria-label={t.paymentMethod} value={q.methods[0] ?? ''} onChange={(e) => setQ({ ...q, methods: e.target.value ? [e.target.value] : [] })}>
        <option value="">{t.rep.allMethods}</option>
        {methods.map((m) => <option key={m} value={m}>{t.rep.methods[m as keyof typeof t.rep.methods]}</option>)}
      </select>
    </div>
  )
  return (
    <section className="page reports" data-testid="reports">
      <h1>{t.rep.title}</h1>
      <div className="tabs" role="tablist">
        {(['sales', 'outstanding', 'deposits', 'fees'] as const).map((x) => (
          <button key={x} role="tab" aria-selected={tab === x} className={tab === x ? 'active' : ''} data-testid={`report-tab-${x}`}
            onClick={() => setTab(x)}>{t.rep.tabs[x]}</button>
        ))}
      </div>
      {notice && <div className="notice" role="status" data-testid="notice">{notice}</div>}
      <ErrorMessage error={error} />
      {tab === 'sales' && <SalesTab q={q} filters={filters(true)} csv={csv('sales')} onError={setError} />}
      {tab === 'outstanding' && <DueTab kind="outstanding" q={q} filters={filters(false)} csv={csv('outstanding')} onError={setError} />}
      {tab === 'deposits' && <DueTab kind="deposits" q={q} filters={filters(false)} csv={csv('deposits')} onError={setError} />}
      {tab === 'fees' && <FeesTab month={month} onMonth={setMonth} csv={csv('fees')} onError={setError} />}
    </section>
  )
}

function SalesTab({ q, filters, csv, onError }: { q: ReportQuery; filters: React.ReactNode; csv: React.ReactNode; onError: (e: UIError | null) => void }) {
  const api = useApi()
  const t = useT()
  const [data, setData] = useState<SalesView | null>(null)
  const [loading, setLoading] = useState(false)
  useEffect(() => {
    if (!q.from || !q.to) return
    let live = true
    setLoading(true)
    api.reportSales(q).then((d) => {
      if (!live) return
      setData(d)
      onError(null)
    }).catch((e) => live && onError(toUIError(e))).finally(() => live && setLoading(false))
    return () => { live = false }
  }, [api, q]) // eslint-disable-line react-hooks/exhaustive-deps
  const y = (n: number) => yen(n, t.lang)
  return (
    <>
      {filters}
      {loading && !data && <Spinner text={t.loading} />}
      {data && <>
        <div className="report-summary" data-testid="sales-summary">
          <div><span>{t.rep.count}</span><strong>{data.total.count.toLocaleString()}</strong></div>
          <div><span>{t.rep.gross}</span><strong>{y(data.total.gross)}</strong></div>
          <div><span>{t.rep.refunded}</span><strong className="minus">{data.total.refunded ? `−${y(data.total.refunded)}` : y(0)}</strong></div>
          <div className="net"><span>{t.rep.net}</span><strong data-testid="sales-net">{y(data.total.net)}</strong></div>
          <div className="grow" />{csv}
        </div>
        <SalesChart data={data} />
        <p className="muted small">{q.basis === 'sale' ? t.rep.saleNote : t.rep.orderedNote}</p>
        <div className="table-wrap report-table">
          <table data-testid="sales-table">
            <thead><tr>
              <th>{t.rep.periodCol}</th><th>{t.rep.profile}</th><th>{t.paymentMethod}</th>
              <th className="num">{t.rep.count}</th><th className="num">{t.rep.gross}</th><th className="num">{t.rep.refunded}</th><th className="num">{t.rep.net}</th>
            </tr></thead>
            <tbody>
              {data.lines.length === 0 && <tr><td colSpan={7} className="muted">{t.rep.none}</td></tr>}
              {data.lines.map((l, i) => (
                <tr key={i} data-testid="sales-row">
                  <td className="nowrap">{i === 0 || data.lines[i - 1].period !== l.period ? data.periods[l.period].label.replace('〜', t.rangeSep.trim()) : ''}</td>
                  <td>{l.profileName}</td><td>{t.label(l.method)}</td>
                  <td className="num">{l.count.toLocaleString()}</td><td className="num">{y(l.gross)}</td>
                  <td className="num">{l.refunded ? `−${y(l.refunded)}` : ''}</td><td className="num">{y(l.net)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot><tr data-testid="sales-total">
              <th colSpan={3}>{t.rep.total}</th><th className="num">{data.total.count.toLocaleString()}</th><th className="num">{y(data.total.gross)}</th>
              <th className="num">{data.total.refunded ? `−${y(data.total.refunded)}` : ''}</th><th className="num">{y(data.total.net)}</th>
            </tr></tfoot>
          </table>
        </div>
      </>}
    </>
  )
}

function DueTab({ kind, q, filters, csv, onError }: {
  kind: 'outstanding' | 'deposits'; q: ReportQuery; filters: React.ReactNode; csv: React.ReactNode; onError: (e: UIError | null) => void
}) {
  const api = useApi()
  const t = useT()
  const [data, setData] = useState<DueView | null>(null)
  useEffect(() => {
    setData(null);
    (kind === 'outstanding' ? api.reportOutstanding(q) : api.reportDeposits(q)).then(setData).catch((e) => onError(toUIError(e)))
  }, [api, kind, q.profileIds, q.methods]) // eslint-disable-line react-hooks/exhaustive-deps
  const y = (n: number) => yen(n, t.lang)
  const left = (d: number, day: string) => (!day ? '' : d < 0 ? t.rep.daysPast(-d) : d === 0 ? t.rep.today : t.rep.daysLeft(d))
  return (
    <>
      {filters}
      <p className="muted small">{kind === 'outstanding' ? t.rep.outstandingNote : t.rep.depositsNote}</p>
      {!data && <Spinner text={t.loading} />}
      {data && <>
        <div className="report-summary bands" data-testid={`${kind}-bands`}>
          {data.bands.filter((b) => b.count > 0 || ['past', 'today', '3', '7'].includes(b.code)).map((b) => (
            <div key={b.code} className={b.code === 'past' && b.count > 0 ? 'alert' : ''}>
              <span>{t.rep.bands[b.code as keyof typeof t.rep.bands] ?? b.code}</span>
              <strong>{y(b.amount)}</strong><small>{t.rep.items(b.count)}</small>
            </div>
          ))}
          <div className="net"><span>{t.rep.total}</span><strong>{y(data.total.amount)}</strong><small>{t.rep.items(data.total.count)}</small></div>
          <div className="grow" />{csv}
        </div>
        <div className="table-wrap report-table">
          <table data-testid={`${kind}-table`}>
            <thead><tr>
              <th>{kind === 'outstanding' ? t.rep.expires : t.rep.deadline}</th><th>{t.rep.left}</th><th>{t.rep.profile}</th><th>{t.paymentMethod}</th>
              <th className="num">{t.rep.count}</th><th className="num">{kind === 'outstanding' ? t.rep.authAmount : t.rep.awaitedAmount}</th>
            </tr></thead>
            <tbody>
              {data.lines.length === 0 && <tr><td colSpan={6} className="muted">{t.rep.none}</td></tr>}
              {data.lines.map((l, i) => (
                <tr key={i} className={l.day && l.daysLeft < 0 ? 'overdue' : ''}>
                  <td className="nowrap">{l.day ? l.day.slice(0, 10).replaceAll('-', '/') : t.rep.noDate}</td>
                  <td className="nowrap">{left(l.daysLeft, l.day)}</td><td>{l.profileName}</td><td>{t.label(l.method)}</td>
                  <td className="num">{l.count.toLocaleString()}</td><td className="num">{y(l.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>}
    </>
  )
}

function FeesTab({ month, onMonth, csv, onError }: { month: string; onMonth: (m: string) => void; csv: React.ReactNode; onError: (e: UIError | null) => void }) {
  const api = useApi()
  const t = useT()
  const [data, setData] = useState<FeesView | null>(null)
  const [schedules, setSchedules] = useState<FeeSchedule[]>([])
  const [editing, setEditing] = useState<FeeSchedule | null>(null)
  const load = useCallback(() => {
    api.reportFees(month).then(setData).catch((e) => onError(toUIError(e)))
    api.feeSchedules().then(setSchedules).catch((e) => onError(toUIError(e)))
  }, [api, month]) // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(load, [load])
  const y = (n: number) => yen(n, t.lang)
  return (
    <>
      <div className="report-filters">
        <input type="month" aria-label={t.rep.month} data-testid="fees-month" value={month} onChange={(e) => onMonth(e.target.value)} />
      </div>
      <p className="muted small">{t.rep.feesNote}</p>
      {data && <>
        <div className="report-summary">
          <div><span>{t.rep.billable}</span><strong>{data.billable.toLocaleString()}</strong></div>
          <div className={data.unresolved ? 'alert' : ''}><span>{t.rep.unresolved}</span><strong>{data.unresolved.toLocaleString()}</strong></div>
          <div className="net"><span>{t.rep.feeTotal}</span><strong data-testid="fees-total">{y(data.total)}</strong></div>
          <div className="grow" />{csv}
        </div>
        <div className="table-wrap report-table">
          <table data-testid="fees-table">
            <thead><tr><th>{t.rep.profile}</th><th>{t.rep.operation}</th><th className="num">{t.rep.billable}</th>
              <th className="num">{t.rep.unresolved}</th><th className="num">{t.rep.feeEach}</th><th className="num">{t.rep.fee}</th></tr></thead>
            <tbody>
              {data.lines.length === 0 && <tr><td colSpan={6} className="muted">{t.rep.none}</td></tr>}
              {data.lines.map((l, i) => (
                <tr key={i}><td>{l.profileName}</td><td>{t.label(l.kind)}</td><td className="num">{l.billable}</td>
                  <td className="num">{l.unresolved || ''}</td><td className="num">{y(l.feePerOp)}</td><td className="num">{y(l.fee)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </>}
      <h2>{t.rep.scheduleTitle}</h2>
      <p className="muted small">{t.rep.scheduleHelp}</p>
      <div className="fee-schedules">
        {schedules.map((s) => editing?.profileId === s.profileId ? (
          <form key={s.profileId} className="card fee-form" data-testid="fee-form" onSubmit={async (e) => {
            e.preventDefault()
            try {
              await api.saveFeeSchedule(editing.profileId, editing.fees)
              setEditing(null)
              onError(null)
              load()
            } catch (err) {
              onError(toUIError(err))
            }
          }}>
            <strong>{s.profileName}</strong>
            <div className="fee-grid">
              {s.kinds.map((k) => (
                <label key={k.code}><span>{t.label(k)}</span>
                  <input inputMode="numeric" size={6} data-testid={`fee-${k.code}`} placeholder={String(s.default)} value={editing.fees[k.code] ?? ''}
                    onChange={(e) => setEditing({ ...editing, fees: { ...editing.fees, [k.code]: e.target.value } })} /> {t.rep.yenUnit}</label>
              ))}
            </div>
            <div className="buttons"><button className="primary" type="submit" data-testid="fee-save">{t.save}</button>
              <button type="button" onClick={() => setEditing(null)}>{t.cancel}</button></div>
          </form>
        ) : (
          <div key={s.profileId} className="fee-row">
            <strong>{s.profileName}</strong>
            <span className="muted">{s.kinds.filter((k) => s.fees[k.code] !== undefined).map((k) => `${t.label(k)} ${y(Number(s.fees[k.code]))}`).join('・') ||
              t.rep.feeDefault(y(s.default))}</span>
            <button data-testid="fee-edit" onClick={() => setEditing({ ...s, fees: { ...s.fees } })}>{t.rep.editFees}</button>
          </div>
        ))}
      </div>
    </>
  )
}
