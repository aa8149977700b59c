import { useCallback, useEffect, useState } from 'react'
import { toUIError, useApi } from '../api'
import type { DriftRow, FeeRow, HoldRow, OrderRow, RefundRow, StockRow, SyncState, UIError, WorkListInfo } from '../api'
import { Badge, ErrorMessage, Spinner } from '../components/common'
import { dateTime, useT, yen } from '../i18n'
import { BulkBar } from '../components/BulkBar'
import { OrderTable } from './OrderList'
import { UnlinkedTab } from './Unlinked'
import { useOffline } from '../offline'
import { tablesOf, useDataChanged } from '../live'

type Tab = { kind: 'list'; code: string } | { kind: 'drifts' } | { kind: 'stock' } | { kind: 'refunds' } | { kind: 'fees' }

const otherTabs = ['drifts', 'stock', 'refunds', 'fees']
function tabOf(code: string): Tab {
  return otherTabs.includes(code) ? ({ kind: code } as Tab) : { kind: 'list', code }
}

// Work is the 作業リスト screen: what needs the operator today, the sync with the
// gateways and its differences, 未連携, キャンセル在庫, 要返金 and fees. The open tab
// is kept by the parent so 戻る from an order comes back to it.
export function Work({ onOpen, tab: tabCode = 'to_capture', onTab }: { onOpen: (orderId: number, siblings?: number[]) => void; tab?: string; onTab?: (code: string) => void }) {
  const api = useApi()
  const t = useT()
  const offline = useOffline() // nothing is sent while the shared database is out of reach
  const [lists, setLists] = useState<WorkListInfo[]>([])
  const [sync, setSync] = useState<SyncState | null>(null)
  // syncing: from the click on 今すぐ同期 to the run's "sync:done". Progress events only
  // feed the bar: Wails may deliver a run's last progress after its done event.
  const [syncing, setSyncing] = useState(false)
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null)
  const [tab, setTabState] = useState<Tab>(() => tabOf(tabCode))
  const setTab = (t: Tab) => {
    setTabState(t)
    onTab?.(t.kind === 'list' ? t.code : t.kind)
  }
  const [error, setError] = useState<UIError | null>(null)

  const refresh = useCallback(() => {
    api.workLists().then(setLists).catch((e) => setError(toUIError(e)))
    api.syncStatus().then(setSync).catch((e) => setError(toUIError(e)))
  }, [api])
  useEffect(refresh, [refresh])
  // Another desktop's changes: the counts and the sync panel (each tab reads its own, useLoad).
  useDataChanged(refresh, { tables: tablesOf.overview })
  useEffect(() => {
    const offProgress = api.onEvent('sync:progress', (d) => {
      const p = d as { done: number; total: number }
      setProgress({ done: p.done, total: p.total })
    })
    const offDone = api.onEvent('sync:done', () => {
      setSyncing(false)
      setProgress(null)
      refresh()
    })
    return () => {
      offProgress()
      offDone()
    }
  }, [api, refresh])

  const tabButton = (key: string, label: string, active: boolean, onClick: () => void, count?: number) => (
    <button key={key} role="tab" aria-selected={active} className={active ? 'tab active' : 'tab'} data-testid={`work-tab-${key}`} onClick={onClick}>
      {label}{count !== undefined && <span className={count > 0 ? 'count hot' : 'count'}>{count}</span>}
    </button>
  )
  return (
    <section className="page">
      <h1>{t.workTitle}</h1>
      <ErrorMessage error={error} />
      <div className="card sync" data-testid="sync-panel">
        <h2>{t.syncTitle}</h2>
        <ul className="sync-list">
          {sync?.profiles.map((p) => (
            <li key={p.profileId}>
              <strong>{p.name}</strong> — {t.lastSync}: {p.lastSuccess ? dateTime(p.lastSuccess) : t.never}
              {p.offlineSince && <div className="warn" data-testid="offline">{t.offlineSince(dateTime(p.offlineSince))}</div>}
              {p.lastError && !p.offlineSince && <div className="warn">{p.lastError}</div>}
            </li>
          ))}
        </ul>
        <button data-testid="sync-now" disabled={syncing || !!offline} title={offline || undefined} onClick={() => {
          setSyncing(true)
          setProgress(null)
          setTimeout(() => setSyncing(false), 120_000) // never leave the button stuck
          api.syncNow().catch((e) => {
            setSyncing(false)
            setError(toUIError(e))
          })
        }}>{t.syncNow}</button>
        {syncing && <Spinner text={t.syncing(progress?.done ?? 0, progress?.total ?? 0)} />}
        {syncing && progress && progress.total > 0 && <progress max={progress.total} value={progress.done} />}
      </div>
      <div className="tabs" role="tablist">
        {lists.map((l) => tabButton(l.code, t.lang === 'en' ? l.en : l.ja, tab.kind === 'list' && tab.code === l.code, () => setTab({ kind: 'list', code: l.code }), l.count))}
        {tabButton('drifts', t.drifts, tab.kind === 'drifts', () => setTab({ kind: 'drifts' }), sync?.drifts)}
        {tabButton('stock', t.cancelStock, tab.kind === 'stock', () => setTab({ kind: 'stock' }))}
        {tabButton('refunds', t.refunds, tab.kind === 'refunds', () => setTab({ kind: 'refunds' }))}
        {tabButton('fees', t.fees, tab.kind === 'fees', () => setTab({ kind: 'fees' }))}
      </div>
      {tab.kind === 'list' && tab.code === 'unlinked' && <UnlinkedTab onOpen={onOpen} onChanged={refresh} />}
      {tab.kind === 'list' && tab.code === 'stop_shipping' && <StopShippingTab onOpen={onOpen} onChanged={refresh} />}
      {tab.kind === 'list' && tab.code !== 'unlinked' && tab.code !== 'stop_shipping' && <ListTab code={tab.code} onOpen={onOpen} onChanged={refresh} />}
      {tab.kind === 'drifts' && <DriftsTab onOpen={onOpen} onChanged={refresh} />}
      {tab.kind === 'stock' && <StockTab />}
      {tab.kind === 'refunds' && <RefundsTab />}
      {tab.kind === 'fees' && <FeesTab />}
    </section>
  )
}

function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [T | null, UIError | null, () => void, (e: unknown) => void] {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<UIError | null>(null)
  const reload = useCallback(() => {
    setError(null)
    load().then(setData).catch((e) => setError(toUIError(e)))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps)
  useEffect(reload, [reload])
  // Another desktop's changes are read again in place (after any open dialog closes).
  useDataChanged(reload, { tables: tablesOf.overview, waitForDialogs: true })
  return [data, error, reload, (e) => setError(toUIError(e))]
}

function ListTab({ code, onOpen, onChanged }: { code: string; onOpen: (id: number) => void; onChanged: () => void }) {
  const api = useApi()
  const t = useT()
  const [rows, error, reload] = useLoad<OrderRow[]>(() => api.workList(code), [api, code])
  const [selected, setSelected] = useState<number[]>([])
  useEffect(() => setSelected([]), [code])
  // Read again (another desktop's change): the selection keeps the rows still listed.
  useEffect(() => {
    if (!rows) return
    const listed = new Set(rows.map((r) => r.id))
    setSelected((sel) => (sel.every((id) => listed.has(id)) ? sel : sel.filter((id) => listed.has(id))))
  }, [rows])
  return (
    <div data-testid={`work-list-${code}`}>
      <ErrorMessage error={error} />
      {!rows && !error && <Spinner text={t.loading} />}
      {rows && rows.length === 0 && <p className="muted">{t.emptyList}</p>}
      {rows && <BulkBar rows={rows} selected={selected} onOpen={onOpen} onClear={() => setSelected([])} onDone={() => {
        reload()
        onChanged()
      }} />}
      {rows && rows.length > 0 && <OrderTable rows={rows} onOpen={onOpen} selected={selected} onSelect={setSelected} />}
    </div>
  )
}

// useFix runs one of the operator's fixes and reports its outcome above the list.
function useFix(reload: () => void, onChanged: () => void, fail: (e: unknown) => void): [string, (fn: () => Promise<unknown>, done?: string) => Promise<void>] {
  const t = useT()
  const [notice, setNotice] = useState('')
  const fix = async (fn: () => Promise<unknown>, done?: string) => {
    setNotice('')
    try {
      const r = await fn()
      setNotice(done ?? (typeof r === 'string' && r ? r : t.done))
      reload()
      onChanged()
    } catch (e) {
      fail(e)
    }
  }
  return [notice, fix]
}

// HoldActions answer 出荷を止める: cancel the order, or keep it as it is.
function HoldActions({ paymentId, orderNo, fix, testId }: {
  paymentId: number; orderNo: string; testId: string
  fix: (fn: () => Promise<unknown>, done?: string) => Promise<void>
}) {
  const api = useApi()
  const t = useT()
  const offline = useOffline()
  return (
    <>
      <button className="danger" data-testid={`${testId}-cancel`} disabled={!!offline} title={offline || undefined} onClick={() => fix(() => api.cancelHeldOrder(paymentId), t.holdCancelled(orderNo))}>{t.holdCancel}</button>
      <button data-testid={`${testId}-keep`} disabled={!!offline} title={offline || undefined} onClick={() => fix(() => api.keepHeldOrder(paymentId), t.holdKept(orderNo))}>{t.holdKeep}</button>
    </>
  )
}

// StopShippingTab is 出荷を止める: orders whose payment was cancelled or refunded at the
// gateway before they were shipped, until the operator cancels or keeps each one.
function StopShippingTab({ onOpen, onChanged }: { onOpen: (id: number) => void; onChanged: () => void }) {
  const api = useApi()
  const t = useT()
  const [rows, error, reload, fail] = useLoad<HoldRow[]>(() => api.holds(), [api])
  const [notice, fix] = useFix(reload, onChanged, fail)
  return (
    <div data-testid="work-list-stop_shipping">
      {notice && <div className="notice" role="status">{notice}</div>}
      <ErrorMessage error={error} />
      {!rows && !error && <Spinner text={t.loading} />}
      {rows && rows.length === 0 && <p className="muted">{t.stopShippingNone}</p>}
      {rows && rows.length > 0 && (
        <>
          <div className="warn-box">{t.stopShippingHelp}</div>
          <table>
            <thead><tr><th>{t.orderNo}</th><th>{t.customerName}</th><th>{t.status}</th><th className="num">{t.total}</th><th>{t.gatewayNow}</th><th>{t.detail}</th><th>{t.actions}</th></tr></thead>
            <tbody>
              {rows.map((h) => (
                <tr key={h.paymentId} data-testid="hold-row" data-order-no={h.orderNo}>
                  <td className="mono"><button className="link" onClick={() => onOpen(h.orderId)}>{h.orderNo}</button></td>
                  <td>{h.customerName}</td>
                  <td><Badge label={h.status} kind="status" /></td>
                  <td className="num">{yen(h.total, t.lang)}</td>
                  <td>{h.gateway} <Badge label={h.gatewayState} kind="payment" /></td>
                  <td>{h.detail}<div className="sub">{dateTime(h.foundAt)}</div></td>
                  <td className="row-actions"><HoldActions paymentId={h.paymentId} orderNo={h.orderNo} fix={fix} testId="hold" /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  )
}

function DriftsTab({ onOpen, onChanged }: { onOpen: (id: number) => void; onChanged: () => void }) {
  const api = useApi()
  const t = useT()
  const [rows, error, reload, fail] = useLoad<DriftRow[]>(() => api.drifts(), [api])
  const [notice, fix] = useFix(reload, onChanged, fail)
  const offline = useOffline()
  return (
    <div data-testid="drifts">
      {notice && <div className="notice" role="status">{notice}</div>}
      <ErrorMessage error={error} />
      {rows && rows.length === 0 && <p className="muted">{t.driftsNone}</p>}
      {rows && rows.length > 0 && (
        <table>
          <thead><tr><th>{t.orderNo}</th><th>{t.customerName}</th><th>{t.ours}</th><th>{t.theirs}</th><th>{t.detail}</th><th>{t.actions}</th></tr></thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.paymentId} data-testid="drift-row" data-order-no={d.orderNo}>
                <td className="mono"><button className="link" onClick={() => onOpen(d.orderId)}>{d.orderNo}</button>
                  {d.hold && <div><span className="badge hold" data-testid="drift-hold">{t.stopShippingTag}</span></div>}</td>
                <td>{d.customerName}</td>
                <td><Badge label={d.ourState} kind="payment" /> {yen(d.ourAmount, t.lang)}</td>
                <td><Badge label={d.gatewayState} kind="payment" /> {yen(d.gatewayAmount, t.lang)}</td>
                <td>{d.detail}<div className="sub">{dateTime(d.foundAt)}</div></td>
                <td className="row-actions">
                  <button data-testid="drift-accept" disabled={!!offline} title={offline || undefined} onClick={() => fix(() => api.acceptGateway(d.paymentId))}>{t.acceptGateway}</button>
                  <button data-testid="drift-push" disabled={!!offline} title={offline || undefined} onClick={() => fix(() => api.pushOurs(d.paymentId))}>{t.pushOurs}</button>
                  {d.hold && <HoldActions paymentId={d.paymentId} orderNo={d.orderNo} fix={fix} testId="drift-hold" />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

function StockTab() {
  const api = useApi()
  const t = useT()
  const [status, setStatus] = useState('pending')
  const [rows, error, reload, fail] = useLoad<StockRow[]>(() => api.cancelStock(status), [api, status])
  const [picked, setPicked] = useState<number[]>([])
  return (
    <div data-testid="cancel-stock">
      <div className="segmented">
        <label><input type="radio" checked={status === 'pending'} onChange={() => setStatus('pending')} /> {t.stockPending}</label>
        <label><input type="radio" checked={status === 'returned'} onChange={() => setStatus('returned')} /> {t.stockReturned}</label>
      </div>
      <ErrorMessage error={error} />
      {rows && rows.length === 0 && <p className="muted">{t.emptyList}</p>}
      {rows && rows.length > 0 && (
        <>
          <table>
            <thead><tr><th></th><th>{t.orderNo}</th><th>{t.productCode}</th><th>{t.productName}</th><th className="num">{t.quantity}</th><th>{t.when}</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-testid="stock-row">
                  <td>{r.status === 'pending' && <input type="checkbox" aria-label={r.orderNo} checked={picked.includes(r.id)}
                    onChange={() => setPicked((p) => (p.includes(r.id) ? p.filter((x) => x !== r.id) : [...p, r.id]))} />}</td>
                  <td className="mono">{r.orderNo}</td>
                  <td className="mono">{r.productCode}</td>
                  <td>{r.productName}{r.variant && <span className="sub"> ／ {r.variant}</span>}</td>
                  <td className="num">{r.quantity}</td>
                  <td>{dateTime(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {status === 'pending' && (
            <button data-testid="mark-returned" disabled={picked.length === 0} onClick={async () => {
              try {
                await api.markStockReturned(picked)
                setPicked([])
                reload()
              } catch (e) {
                fail(e)
              }
            }}>{t.markReturned}</button>
          )}
        </>
      )}
    </div>
  )
}

function RefundsTab() {
  const api = useApi()
  const t = useT()
  const [status, setStatus] = useState('open')
  const [rows, error, reload, fail] = useLoad<RefundRow[]>(() => api.refundTasks(status), [api, status])
  return (
    <div data-testid="refunds">
      <div className="segmented">
        <label><input type="radio" checked={status === 'open'} onChange={() => setStatus('open')} /> {t.refundOpen}</label>
        <label><input type="radio" checked={status === 'done'} onChange={() => setStatus('done')} /> {t.refundDone}</label>
      </div>
      <ErrorMessage error={error} />
      {rows && rows.length === 0 && <p className="muted">{t.emptyList}</p>}
      {rows && rows.length > 0 && (
        <table>
          <thead><tr><th>{t.orderNo}</th><th>{t.customerName}</th><th className="num">{t.amount}</th><th>{t.reason}</th><th>{t.when}</th><th></th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="refund-row">
                <td className="mono">{r.orderNo}</td>
                <td>{r.customerName}</td>
                <td className="num">{yen(r.amount, t.lang)}</td>
                <td>{r.reason}</td>
                <td>{dateTime(r.createdAt)}{r.doneAt && <div className="sub">{dateTime(r.doneAt)} {r.operator}</div>}</td>
                <td>{r.status === 'open' && <button onClick={async () => {
                  try {
                    await api.completeRefundTask(r.id)
                    reload()
                  } catch (e) {
                    fail(e)
                  }
                }}>{t.markRefunded}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

function thisMonth(): string {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit' }).formatToParts(new Date())
  return `${p.find((x) => x.type === 'year')?.value}-${p.find((x) => x.type === 'month')?.value}`
}

function FeesTab() {
  const api = useApi()
  const t = useT()
  const [month, setMonth] = useState(thisMonth)
  const [rows, error] = useLoad<FeeRow[]>(() => api.fees(month), [api, month])
  return (
    <div data-testid="fees">
      <label className="field inline">
        <span>{t.month}</span>
        <input type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
      </label>
      <ErrorMessage error={error} />
      {rows && rows.length === 0 && <p className="muted">{t.emptyList}</p>}
      {rows && rows.length > 0 && (
        <table>
          <thead><tr><th>{t.gateway}</th><th className="num">{t.operations}</th><th className="num">{t.rep.unresolved}</th><th className="num">{t.feeTotal}</th></tr></thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td>{r.profileName}</td>
                <td className="num">{r.operations}</td>
                <td className="num">{r.unresolved || ''}</td>
                <td className="num">{yen(r.fee, t.lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {/* The same figures as 売上集計 › 手数料, which has them per operation kind and where the fees are entered. */}
      <p className="muted small">{t.rep.feesNote}</p>
    </div>
  )
}
