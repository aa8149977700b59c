import * as AlertDialog from '@radix-ui/react-alert-dialog'
import { useCallback, useEffect, useRef, useState } from 'react'
import { toUIError, useApi } from '../api'
import type { Operation, OperationProgress, OperationResult, OrderDetail as Detail, Payment, UIError } from '../api'
import { Badge, ErrorMessage, Spinner } from '../components/common'
import { dateTime, useT, yen } from '../i18n'
import { useOffline } from '../offline'
import { dialogOpen, tablesOf, useDataChanged } from '../live'
import { ActionDialog } from './ActionDialog'
import { LinkPanel } from './LinkPanel'
import { ReviewPanel } from './ReviewPanel'

// OrderDetail is the 受注詳細 screen: everything to answer a customer's call (who, where
// to, what, how much), the 対応状況, the payment with the actions the operator can take
// now, and one history of the order and its operations. siblings are the ids of the
// list it was opened from, for 前の受注 / 次の受注. startAction opens that action's dialog
// on the first payment offering it once the order is read (a start view, startView.ts).
export function OrderDetail({ orderId, onBack, siblings, onOpen, startAction }: {
  orderId: number
  onBack: () => void
  siblings?: number[]
  onOpen?: (orderId: number) => void
  startAction?: string
}) {
  const api = useApi()
  const t = useT()
  const [order, setOrder] = useState<Detail | null>(null)
  const [error, setError] = useState<UIError | null>(null)
  const [notice, setNotice] = useState('')
  const [dialog, setDialog] = useState<{ payment: Payment; intent: string } | null>(null)

  const load = useCallback(() => {
    api.detail(orderId).then((d) => {
      setOrder(d)
    }).catch((e) => setError(toUIError(e)))
  }, [api, orderId])
  useEffect(() => {
    setOrder(null)
    setNotice('')
    setError(null)
    load()
  }, [load])
  // An operation on one of this order's payments ended (also one left running in a
  // closed dialog, or started elsewhere): show the order as it is now.
  useEffect(() => api.onEvent('operation:progress', (d) => {
    const p = d as OperationProgress
    if (p.stage === 'done' && order?.payments.some((x) => x.id === p.paymentId)) load()
  }), [api, load, order])
  // Another desktop changed orders or payments: the order is read again and shown if it
  // changed — unless a dialog is open: then it is kept aside (latest) and the operator
  // told, so that what a dialog confirms never changes under the operator's finger.
  const [latest, setLatest] = useState<Detail | null>(null)
  const shown = useRef({ order, dialog })
  shown.current = { order, dialog }
  useEffect(() => setLatest(null), [order])
  useDataChanged(() => {
    api.detail(orderId).then((d) => {
      const { order: cur, dialog: open } = shown.current
      if (!cur || cur.id !== d.id) return // another order is shown by now
      if (JSON.stringify(d) === JSON.stringify(cur)) return
      if (open || dialogOpen()) setLatest(d)
      else setOrder(d)
    }).catch(() => { /* quiet: the next change, or the next visit, reads it again */ })
  }, { tables: tablesOf.order })
  const showLatest = () => {
    if (latest) setOrder(latest)
  }
  // The order as it is now, shown under an open dialog too, which is given its payment
  // as it is now (its version for the next preview): after the operator asked to check
  // again, after the engine refused because the payment had changed since it was read,
  // and after any other outcome the dialog shows.
  const showNow = (d: Detail) => {
    setOrder(d)
    setDialog((cur) => {
      const p = cur && d.payments.find((x) => x.id === cur.payment.id)
      return cur && p ? { ...cur, payment: p } : cur
    })
  }
  const readAgain = () => {
    api.detail(orderId).then(showNow).catch((e) => setError(toUIError(e)))
  }

  const done = (r: OperationResult) => {
    setDialog(null)
    setOrder(r.order)
    setError(null)
    setNotice(r.message || t.done)
  }
  const settle = async (call: () => Promise<OperationResult>) => {
    setError(null)
    setNotice('')
    try {
      const r = await call()
      setOrder(r.order)
      setNotice(r.message || t.done)
    } catch (e) {
      setError(toUIError(e))
      load()
    }
  }
  const resolve = (opId: number) => settle(() => api.resolve(opId))
  const record = (opId: number, applied: boolean, newId: string) => settle(() => api.recordOutcome(opId, applied, newId))
  const setStatus = async (status: string) => {
    setError(null)
    setNotice('')
    try {
      const d = await api.setOrderStatus(orderId, status)
      setOrder(d)
      setNotice(t.odStatusSaved(t.label(d.status)))
    } catch (e) {
      setError(toUIError(e))
    }
  }

  const startDone = useRef(false)
  useEffect(() => {
    if (!order || !startAction || startDone.current) return
    startDone.current = true
    const p = order.payments.find((x) => x.actions.includes(startAction))
    if (p) setDialog({ payment: p, intent: startAction })
  }, [order, startAction])

  const at = siblings ? siblings.indexOf(orderId) : -1
  const prevId = at > 0 ? siblings![at - 1] : 0
  const nextId = at >= 0 && at < siblings!.length - 1 ? siblings![at + 1] : 0
  useEffect(() => {
    const key = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement
      if (dialog || !onOpen || e.ctrlKey || e.metaKey || e.altKey || /INPUT|SELECT|TEXTAREA/.test(target.tagName)) return
      if (e.key === '[' && prevId) onOpen(prevId)
      if (e.key === ']' && nextId) onOpen(nextId)
    }
    window.addEventListener('keydown', key)
    return () => window.removeEventListener('keydown', key)
  }, [dialog, onOpen, prevId, nextId])

  const head = (
    <div className="detail-nav no-print">
      <button className="link" data-testid="back" onClick={onBack}>← {t.back}</button>
      {siblings && onOpen && at >= 0 && (
        <span className="pager">
          <button data-testid="prev-order" disabled={!prevId} onClick={() => onOpen(prevId)} title="[">‹ {t.odPrev}</button>
          <span className="muted">{t.odPosition(at + 1, siblings.length)}</span>
          <button data-testid="next-order" disabled={!nextId} onClick={() => onOpen(nextId)} title="]">{t.odNext} ›</button>
        </span>
      )}
    </div>
  )
  if (!order) {
    return (
      <section className="page">
        {head}
        <ErrorMessage error={error} />
        {!error && <Spinner text={t.loading} />}
      </section>
    )
  }
  const row = (label: string, value: React.ReactNode, testId?: string) => (value === '' || value === null || value === undefined || value === false ? null : (
    <><dt>{label}</dt><dd data-testid={testId}>{value}</dd></>
  ))
  const busy = order.payments.some((p) => p.inFlight)
  return (
    <section className="page detail">
      {head}
      <h1>
        {t.orderDetail} <span className="mono" data-testid="order-no">{order.orderNo}</span>
        {order.demo && <span className="tag no-print">{t.demo}</span>}
        <Badge label={order.status} kind="status" testId="order-status" />
        <button className="print-button no-print" data-testid="print" onClick={() => window.print()}>{t.odPrint}</button>
      </h1>
      <div className="print-only print-head">
        <h1>{t.odDeliveryNote}</h1>
        <p>{t.orderNo}: {order.orderNo}　{t.orderedAt}: {dateTime(order.orderedAt)}</p>
      </div>
      {notice && <div className="notice no-print" role="status" data-testid="notice">{notice}</div>}
      {latest && !dialog && (
        <div className="warn-box no-print" role="status" data-testid="changed-elsewhere">
          {t.liveOrderChanged}
          <button data-testid="show-latest" onClick={showLatest}>{t.liveShowLatest}</button>
        </div>
      )}
      <ErrorMessage error={error} />
      <div className="detail-grid">
        <div className="card">
          <h2>{t.odCustomer}</h2>
          <dl>
            {row(t.customer, <>{order.customerName}<div className="sub">{order.customerKana}</div></>)}
            {row(t.tel, order.tel && <span className="mono">{order.tel}</span>, 'customer-tel')}
            {row(t.email, order.email)}
            {row(t.address, order.zip || order.address ? <>{order.zip && `〒${order.zip} `}{order.address}</> : '')}
          </dl>
          <h2>{t.odDelivery}</h2>
          <dl>
            {row(t.shipTo, order.shipName || order.shipAddress ? (
              <span data-testid="ship-to">{order.shipName}<div className="sub">{order.shipZip && `〒${order.shipZip} `}{order.shipAddress}</div>
                {order.shipTel && <div className="sub">{order.shipTel}</div>}</span>
            ) : <span className="muted">{t.odSameAsCustomer}</span>)}
            {row(t.deliveryMethod, order.deliveryMethod || <span className="muted">—</span>, 'delivery-method')}
            {row(t.trackingNo, order.trackingNo ? <span className="mono" data-testid="tracking-no">{order.trackingNo}</span> : <span className="muted">{t.odNoTracking}</span>)}
            {row(t.memo, order.memo)}
          </dl>
        </div>
        <div className="card">
          <h2>{t.orderInfo}</h2>
          <dl>
            {row(t.orderedAt, dateTime(order.orderedAt))}
            {row(t.updatedAt, dateTime(order.updatedAt))}
            {row(t.paymentMethod, t.label(order.paymentMethod))}
            {row(t.total, <strong>{yen(order.total, t.lang)}</strong>)}
          </dl>
          <StatusControl order={order} busy={busy} onSet={setStatus} />
        </div>
        <div className="card payment-card">
          <h2>{t.payment}</h2>
          {order.payments.length === 0 && !order.link && <p className="muted">{t.noPayment}</p>}
          {order.payments.length === 0 && order.link && (
            <p data-testid="link-summary">
              <Badge label={order.link.status} kind="link" /> {t.lang === 'en' ? order.link.reasonEn || order.link.reason : order.link.reason}
              <span className="sub"> {t.linkBelow}</span>
            </p>
          )}
          {order.payments.map((p) => (
            <PaymentPanel key={p.id} p={p} orderTotal={order.total} onAction={(intent) => {
              setNotice('')
              setError(null)
              setDialog({ payment: p, intent })
            }} onResolve={resolve} />
          ))}
        </div>
      </div>
      {order.payments.filter((p) => p.review).map((p) => (
        <div className="card" key={`r${p.id}`}>
          <ReviewPanel payment={p} orderTotal={order.total} onDone={(r) => {
            setOrder(r.order)
            setNotice(r.message || t.done)
          }} />
        </div>
      ))}
      {order.payments.length === 0 && order.link && (
        <div className="card no-print">
          <LinkPanel order={order} onLinked={(message) => {
            setNotice(message)
            load()
          }} />
        </div>
      )}
      <div className="card">
        <h2>{t.items}</h2>
        <table className="items">
          <thead><tr><th>{t.productCode}</th><th>{t.productName}</th><th className="num">{t.unitPrice}</th><th className="num">{t.quantity}</th><th className="num">{t.amount}</th></tr></thead>
          <tbody>
            {order.items.map((it, i) => (
              <tr key={i}>
                <td className="mono nowrap">{it.productCode}</td>
                <td>{it.productName}{it.variant && <span className="sub"> ／ {it.variant}</span>}</td>
                <td className="num">{yen(it.unitPrice, t.lang)}</td>
                <td className="num">{it.quantity}</td>
                <td className="num">{yen(it.amount, t.lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl className="totals">
          {row(t.subtotal, yen(order.subtotal, t.lang))}
          {order.discount > 0 && row(t.discount, `−${yen(order.discount, t.lang)}`)}
          {row(t.shipping, yen(order.shipping, t.lang))}
          {order.fee > 0 && row(t.fee, yen(order.fee, t.lang))}
          {order.tax > 0 && row(t.taxExcl, <span data-testid="order-tax">{yen(order.tax, t.lang)}</span>)}
          {order.pointsUsed > 0 && row(t.pointsUsed, `−${yen(order.pointsUsed, t.lang)}`)}
          <dt>{t.total}</dt><dd className="total" data-testid="order-total">{yen(order.total, t.lang)}</dd>
        </dl>
      </div>
      <History order={order} onResolve={resolve} onRecord={record} />
      {dialog && <ActionDialog payment={dialog.payment} intent={dialog.intent} orderStatus={order.status.code}
        changedElsewhere={!!latest} onRecheck={() => {
          if (latest) showNow(latest)
        }}
        onStale={readAgain}
        onClose={() => {
          setDialog(null)
          showLatest() // the dialog said it changed: the page shows it now
        }} onDone={done} onSettled={readAgain} />}
    </section>
  )
}

// StatusControl changes the 対応状況 by hand. The choices come from Go (a status that
// would hide the payment's state is not offered); the change is confirmed first.
function StatusControl({ order, busy, onSet }: { order: Detail; busy: boolean; onSet: (status: string) => void }) {
  const t = useT()
  const choices = order.statusChoices ?? []
  const [to, setTo] = useState(order.status.code)
  useEffect(() => setTo(order.status.code), [order.status.code])
  const chosen = choices.find((c) => c.code === to)
  const offline = useOffline()
  return (
    <div className="status-control no-print">
      <label className="field">
        <span>{t.status}</span>
        <select data-testid="status-select" value={to} disabled={busy || choices.length < 2} onChange={(e) => setTo(e.target.value)}>
          {choices.map((c) => <option key={c.code} value={c.code}>{t.label(c)}</option>)}
        </select>
      </label>
      <AlertDialog.Root>
        <AlertDialog.Trigger asChild>
          <button data-testid="status-save" disabled={busy || to === order.status.code || !!offline} title={offline || undefined}>{t.odStatusChange}</button>
        </AlertDialog.Trigger>
        <AlertDialog.Portal>
          <AlertDialog.Overlay className="overlay" />
          <AlertDialog.Content className="dialog small" data-testid="status-confirm">
            <AlertDialog.Title>{t.odStatusConfirmTitle}</AlertDialog.Title>
            <AlertDialog.Description>{t.odStatusConfirm(t.label(order.status), t.label(chosen))}</AlertDialog.Description>
            {to === 'cancelled' && <p className="warn">{t.odStatusCancelNote}</p>}
            <div className="buttons">
              <AlertDialog.Action asChild>
                <button className={to === 'cancelled' ? 'danger-solid' : 'primary'} data-testid="status-confirm-yes" onClick={() => onSet(to)}>{t.odStatusChange}</button>
              </AlertDialog.Action>
              <AlertDialog.Cancel asChild><button data-testid="status-confirm-no">{t.cancel}</button></AlertDialog.Cancel>
            </div>
          </AlertDialog.Content>
        </AlertDialog.Portal>
      </AlertDialog.Root>
      {busy && <p className="sub">{t.odStatusBusy}</p>}
    </div>
  )
}

// amountLabel names the payment's main amount as the gateway's console does: a card's
// オーソリ金額, a slip's 請求金額.
function PaymentPanel({ p, orderTotal, onAction, onResolve }: {
  p: Payment
  orderTotal: number
  onAction: (intent: string) => void
  onResolve: (opId: number) => void
}) {
  const t = useT()
  const unknown = p.operations.find((op) => op.state.code === 'unknown' || op.state.code === 'pending' || op.state.code === 'sent')
  const row = (label: string, value: React.ReactNode, testId?: string) => (value === '' || value === 0 || value === null ? null : <><dt>{label}</dt><dd data-testid={testId}>{value}</dd></>)
  const card = p.method.code === 'card'
  const current = p.amountCaptured > 0 ? p.amountCaptured - p.amountRefunded : p.amountAuthorized
  const live = ['authorized', 'captured', 'awaiting_deposit', 'capture_failed'].includes(p.state.code)
  const mismatch = live && current > 0 && current !== orderTotal
  const slip = p.slip
  const offline = useOffline() // nothing is sent while the shared database is out of reach
  return (
    <div className="payment" data-testid="payment" data-payment-id={p.id}>
      <div className="payment-head">
        <Badge label={p.state} kind="payment" testId="payment-state" />
        <span>{t.label(p.method)}</span>
        <span className="muted">{p.profileName || p.gatewayLabel}</span>
        {p.demo && <span className="tag no-print" data-testid="demo-badge">{t.demo}</span>}
      </div>
      {p.state.code === 'capture_failed' && (
        <div className="error" data-testid="failure-reason">
          <strong>{t.odFailureTitle}</strong> {p.failureReason || t.odFailureUnknown}
        </div>
      )}
      {mismatch && (
        <div className="warn-box" data-testid="amount-mismatch">
          {t.odAmountMismatch(yen(current, t.lang), yen(orderTotal, t.lang))}
        </div>
      )}
      {slip && (
        <dl className="slip" data-testid="slip">
          {row(t.odSlipStore, t.lang === 'en' ? slip.storeEn || slip.store : slip.store)}
          {row(t.odSlipReceiptNo, slip.receiptNo && <span className="mono big">{slip.receiptNo}</span>, 'slip-receipt-no')}
          {row(t.odSlipBkCode, slip.bkCode && <span className="mono big">{slip.bkCode}</span>, 'slip-bk-code')}
          {row(t.odSlipCustId, slip.custId && <span className="mono big">{slip.custId}</span>, 'slip-cust-id')}
          {row(t.odSlipConfNo, slip.confNo && <span className="mono big">{slip.confNo}</span>, 'slip-conf-no')}
        </dl>
      )}
      <dl>
        {row(card ? t.authorized : t.odBilled, p.amountAuthorized ? yen(p.amountAuthorized, t.lang) : '', 'amount-main')}
        {row(card ? t.captured : t.odPaidAmount, p.amountCaptured ? yen(p.amountCaptured, t.lang) : '')}
        {row(t.refunded, p.amountRefunded ? yen(p.amountRefunded, t.lang) : '')}
        {row(t.tax, p.tax ? yen(p.tax, t.lang) : '')}
        {row(card ? t.authorizedAt : t.odIssuedAt, dateTime(p.authorizedAt), 'authorized-at')}
        {row(t.authExpires, p.authExpiresAt ? <>{dateTime(p.authExpiresAt)}{p.authDaysLeft !== null && <span className={p.authDaysLeft <= 7 ? 'warn' : 'sub'}> {t.inParens(t.daysLeft(p.authDaysLeft))}</span>}</> : '', 'auth-expires')}
        {row(t.capturedAt, dateTime(p.capturedAt))}
        {row(t.deadline, dateTime(p.paymentDeadline))}
        {row(t.paidAt, dateTime(p.paidAt))}
        {row(t.processedAt, dateTime(p.processedAt ?? ''))}
        {/* The ids named as the gateway's console names them. */}
        {row(p.gateway === 'sbps' ? t.sbpsOrderId : p.gateway === 'paygent' ? t.paygentTradingId : t.gmoOrderId,
          <span className="mono">{p.gatewayOrderId}</span>)}
        {row(p.gateway === 'sbps' ? t.sbpsTrackingId : p.gateway === 'paygent' ? t.paygentPaymentIds : t.gmoTranId,
          <span className="mono break">{p.gatewayTranId}</span>)}
        {row(t.rawStatus, <span className="mono">{p.rawStatus}</span>)}
        {row(t.lastSynced, dateTime(p.lastSyncedAt))}
      </dl>
      {p.review ? (
        <div className="warn-box" data-testid="review-needed">{t.reviewNeeded}</div>
      ) : p.inFlight || unknown ? (
        <div className="warn-box no-print" data-testid="in-flight">
          {t.unknownOutcome}
          {unknown && <button data-testid="resolve-panel" disabled={!!offline} title={offline || undefined} onClick={() => onResolve(unknown.id)}>{t.resolve}</button>}
        </div>
      ) : (
        <div className="actions no-print">
          {p.actions.length === 0 && <span className="muted">{t.noActions}</span>}
          {p.actions.map((a) => (
            <button key={a} className={a === 'capture' ? 'primary' : a === 'cancel' ? 'danger' : ''} data-testid={`action-${a}`}
              disabled={!!offline} title={offline || undefined} onClick={() => onAction(a)}>{t.intent[a] ?? a}</button>
          ))}
        </div>
      )}
    </div>
  )
}

type Entry =
  | { at: string; kind: 'op'; op: Operation; payment: Payment }
  | { at: string; kind: 'event'; actor: string; pc: string; detail: string; detailEn: string; note: boolean }

// History is the order's one history, newest first: its operations at the gateway and
// the changes of its 対応状況, in one order of time.
function History({ order, onResolve, onRecord }: {
  order: Detail
  onResolve: (opId: number) => void
  onRecord: (opId: number, applied: boolean, newId: string) => void
}) {
  const t = useT()
  const entries: Entry[] = []
  for (const p of order.payments) for (const op of p.operations) entries.push({ at: op.requestedAt, kind: 'op', op, payment: p })
  for (const ev of order.events) entries.push({ at: ev.at, kind: 'event', actor: ev.actor, pc: ev.pc ?? '', detail: ev.detail, detailEn: ev.detailEn ?? '', note: ev.kind !== 'status' })
  // Newest first; at the same instant the operation before the status change it made.
  entries.sort((a, b) => (a.at === b.at ? (a.kind === 'op' ? 1 : -1) : a.at < b.at ? 1 : -1))
  return (
    <div className="card history">
      <h2>{t.journal}</h2>
      {entries.length === 0 ? <p className="muted">{t.noJournal}</p> : (
        <table data-testid="journal" className="journal">
          <colgroup><col className="c-when" /><col className="c-what" /><col className="c-amount" /><col className="c-result" /><col className="c-who" /><col /></colgroup>
          <thead><tr><th>{t.when}</th><th>{t.operation}</th><th className="num">{t.amount}</th><th>{t.result}</th><th>{t.operator}</th><th>{t.detail}</th></tr></thead>
          <tbody>
            {entries.map((e, i) => e.kind === 'op' ? (
              <tr key={`o${e.op.id}`} data-testid="journal-row" data-state={e.op.state.code}>
                <td className="nowrap">{dateTime(e.op.requestedAt)}</td>
                <td className="nowrap">{t.label(e.op.kind)}</td>
                <td className={`num nowrap${e.op.amountImplied ? ' muted' : ''}`}>{e.op.amount > 0 ? yen(e.op.amount, t.lang) : '—'}</td>
                <td className="nowrap"><span className={`badge op-${e.op.state.code}`}>{t.label(e.op.state)}</span></td>
                <Who name={e.op.operator} pc={e.op.pc} />
                <td>
                  <span title={t.lang === 'en' ? e.op.message : undefined}>{t.lang === 'en' ? e.op.messageEn || e.op.message : e.op.message}</span>
                  {e.op.gatewayCode && <span className="sub mono"> [{e.op.gatewayCode}]</span>}
                  {e.op.state.code === 'unknown' && <div className="no-print">
                    <button data-testid="resolve" onClick={() => onResolve(e.op.id)}>{t.resolve}</button>
                    <RecordOutcome newIdNeeded={!!e.op.newIdNeeded} onRecord={(applied, newId) => onRecord(e.op.id, applied, newId)} />
                  </div>}
                </td>
              </tr>
            ) : (
              <tr key={`e${i}`} data-testid="history-row" className="event-row">
                <td className="nowrap">{dateTime(e.at)}</td>
                <td className="nowrap">{e.note ? t.odNote : t.status}</td>
                <td className="num muted">—</td>
                <td></td>
                <Who name={e.actor} pc={e.pc} />
                <td>{t.lang === 'en' && e.detailEn ? e.detailEn : e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

// Who is the history's 操作者 cell: the operator, and under it the PC the entry was made
// on (several desktops may share one database); entries made before the PC was kept
// show the operator alone.
function Who({ name, pc }: { name: string; pc?: string }) {
  return (
    <td className="nowrap" title={pc ? `${name} / ${pc}` : undefined}>
      {name}
      {pc && <div className="sub" data-testid="history-pc">{pc}</div>}
    </td>
  )
}

// RecordOutcome lets the operator record what the gateway's console shows for an
// operation the inquiry cannot decide; the choice is hidden behind an explanation and
// confirmed in a dialog.
function RecordOutcome({ newIdNeeded, onRecord }: { newIdNeeded: boolean; onRecord: (applied: boolean, newId: string) => void }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [newId, setNewId] = useState('')
  const [confirm, setConfirm] = useState<boolean | null>(null)
  if (!open) return <button className="link" data-testid="record-outcome" onClick={() => setOpen(true)}>{t.recordOutcome}</button>
  return (
    <div className="warn-box" data-testid="record-outcome-box">
      <p>{t.recordOutcomeHelp}</p>
      {newIdNeeded && (
        <label>{t.recordNewId}
          <input data-testid="record-new-id" value={newId} onChange={(e) => setNewId(e.target.value)} />
        </label>
      )}
      <button data-testid="record-applied" disabled={newIdNeeded && newId.trim() === ''} onClick={() => setConfirm(true)}>{t.recordApplied}</button>
      <button data-testid="record-not-applied" onClick={() => setConfirm(false)}>{t.recordNotApplied}</button>
      <button className="link" onClick={() => setOpen(false)}>{t.cancel}</button>
      <AlertDialog.Root open={confirm !== null} onOpenChange={(o) => !o && setConfirm(null)}>
        <AlertDialog.Portal>
          <AlertDialog.Overlay className="overlay" />
          <AlertDialog.Content className="dialog small" data-testid="record-confirm">
            <AlertDialog.Title>{t.recordOutcome}</AlertDialog.Title>
            <AlertDialog.Description>{confirm ? t.odRecordAppliedConfirm : t.odRecordNotAppliedConfirm}</AlertDialog.Description>
            <div className="buttons">
              <AlertDialog.Action asChild>
                <button className="primary" data-testid="record-confirm-yes" onClick={() => {
                  const applied = !!confirm
                  setOpen(false)
                  setConfirm(null)
                  onRecord(applied, applied ? newId : '')
                }}>{confirm ? t.recordApplied : t.recordNotApplied}</button>
              </AlertDialog.Action>
              <AlertDialog.Cancel asChild><button data-testid="record-confirm-no">{t.cancel}</button></AlertDialog.Cancel>
            </div>
          </AlertDialog.Content>
        </AlertDialog.Portal>
      </AlertDialog.Root>
    </div>
  )
}
