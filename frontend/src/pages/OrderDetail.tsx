import { useCallback, useEffect, useState } from 'react'
import { toUIError, useApi } from '../api'
import type { OperationResult, OrderDetail as Detail, Payment, UIError } from '../api'
import { Badge, ErrorMessage, Spinner } from '../components/common'
import { dateTime, useT, yen } from '../i18n'
import { ActionDialog } from './ActionDialog'
import { LinkPanel } from './LinkPanel'
import { ReviewPanel } from './ReviewPanel'

// OrderDetail is the 受注詳細 screen: the order, its payment with the actions the
// operator can take now, and the journal of every operation.
export function OrderDetail({ orderId, onBack }: { orderId: number; onBack: () => void }) {
  const api = useApi()
  const t = useT()
  const [order, setOrder] = useState<Detail | null>(null)
  const [error, setError] = useState<UIError | null>(null)
  const [notice, setNotice] = useState('')
  const [dialog, setDialog] = useState<{ payment: Payment; intent: string } | null>(null)

  const load = useCallback(() => {
    api.detail(orderId).then(setOrder).catch((e) => setError(toUIError(e)))
  }, [api, orderId])
  useEffect(load, [load])

  const done = (r: OperationResult) => {
    setDialog(null)
    setOrder(r.order)
    setNotice(r.message || t.done)
  }
  const settle = async (call: () => Promise<OperationResult>) => {
    setError(null)
    try {
      const r = await call()
      setOrder(r.order)
      setNotice(r.message || t.done)
    } catch (e) {
      setError(toUIError(e))
    }
  }
  const resolve = (opId: number) => settle(() => api.resolve(opId))
  const record = (opId: number, applied: boolean, newId: string) => settle(() => api.recordOutcome(opId, applied, newId))

  if (!order) {
    return (
      <section className="page">
        <button className="link" onClick={onBack}>← {t.back}</button>
        <ErrorMessage error={error} />
        {!error && <Spinner text={t.loading} />}
      </section>
    )
  }
  const row = (label: string, value: React.ReactNode) => (value === '' || value === null || value === undefined ? null : (
    <><dt>{label}</dt><dd>{value}</dd></>
  ))
  return (
    <section className="page detail">
      <button className="link" data-testid="back" onClick={onBack}>← {t.back}</button>
      <h1>
        {t.orderDetail} <span className="mono" data-testid="order-no">{order.orderNo}</span>
        {order.demo && <span className="tag">{t.demo}</span>}
        <Badge label={order.status} kind="status" testId="order-status" />
      </h1>
      {notice && <div className="notice" role="status" data-testid="notice">{notice}</div>}
      <ErrorMessage error={error} />
      <div className="columns">
        <div className="card">
          <h2>{t.orderInfo}</h2>
          <dl>
            {row(t.orderedAt, dateTime(order.orderedAt))}
            {row(t.updatedAt, dateTime(order.updatedAt))}
            {row(t.customer, <>{order.customerName}<div className="sub">{order.customerKana}</div></>)}
            {row(t.email, order.email)}
            {row(t.tel, order.tel)}
            {row(t.address, order.zip || order.address ? <>{order.zip && `〒${order.zip} `}{order.address}</> : '')}
            {row(t.paymentMethod, t.label(order.paymentMethod))}
            {row(t.shipTo, order.shipName || order.shipAddress ? (
              <span data-testid="ship-to">{order.shipName}<div className="sub">{order.shipZip && `〒${order.shipZip} `}{order.shipAddress}</div>
                {order.shipTel && <div className="sub">{order.shipTel}</div>}</span>
            ) : '')}
            {row(t.deliveryMethod, order.deliveryMethod)}
            {row(t.trackingNo, order.trackingNo && <span className="mono" data-testid="tracking-no">{order.trackingNo}</span>)}
            {row(t.memo, order.memo)}
          </dl>
        </div>
        <div className="card">
          <h2>{t.payment}</h2>
          {order.payments.length === 0 && !order.link && <p className="muted">{t.noPayment}</p>}
          {order.payments.length === 0 && order.link && (
            <p data-testid="link-summary">
              <Badge label={order.link.status} kind="link" /> {order.link.reason}
              <span className="sub"> {t.linkBelow}</span>
            </p>
          )}
          {order.payments.map((p) => (
            <PaymentPanel key={p.id} p={p} onAction={(intent) => {
              setNotice('')
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
        <div className="card">
          <LinkPanel order={order} onLinked={(message) => {
            setNotice(message)
            load()
          }} />
        </div>
      )}
      <div className="card">
        <h2>{t.items}</h2>
        <table>
          <thead><tr><th>{t.productCode}</th><th>{t.productName}</th><th className="num">{t.unitPrice}</th><th className="num">{t.quantity}</th><th className="num">{t.amount}</th></tr></thead>
          <tbody>
            {order.items.map((it, i) => (
              <tr key={i}>
                <td className="mono">{it.productCode}</td>
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
          {order.pointsUsed > 0 && row(t.pointsUsed, `−${yen(order.pointsUsed, t.lang)}`)}
          {order.tax > 0 && row(t.taxExcl, <span data-testid="order-tax">{yen(order.tax, t.lang)}</span>)}
          <dt>{t.total}</dt><dd className="total" data-testid="order-total">{yen(order.total, t.lang)}</dd>
        </dl>
      </div>
      {order.payments.map((p) => (
        <div className="card" key={`j${p.id}`}>
          <h2>{t.journal}</h2>
          {p.operations.length === 0 ? <p className="muted">{t.noJournal}</p> : (
            <table data-testid="journal">
              <thead><tr><th>{t.when}</th><th>{t.operation}</th><th className="num">{t.amount}</th><th>{t.result}</th><th>{t.operator}</th><th>{t.detail}</th></tr></thead>
              <tbody>
                {p.operations.map((op) => (
                  <tr key={op.id} data-testid="journal-row" data-state={op.state.code}>
                    <td>{dateTime(op.requestedAt)}</td>
                    <td>{t.label(op.kind)}</td>
                    <td className="num">{op.amount > 0 ? yen(op.amount, t.lang) : ''}</td>
                    <td><span className={`badge op-${op.state.code}`}>{t.label(op.state)}</span></td>
                    <td>{op.operator}</td>
                    <td>{op.message}{op.gatewayCode && <span className="sub mono"> [{op.gatewayCode}]</span>}
                      {op.state.code === 'unknown' && <>
                        <button data-testid="resolve" onClick={() => resolve(op.id)}>{t.resolve}</button>
                        <RecordOutcome newIdNeeded={!!op.newIdNeeded} onRecord={(applied, newId) => record(op.id, applied, newId)} />
                      </>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
      {order.events.length > 0 && (
        <div className="card">
          <h2>{t.events}</h2>
          <ul className="events">
            {order.events.map((ev, i) => <li key={i}>{dateTime(ev.at)} — {ev.actor}: {ev.detail}</li>)}
          </ul>
        </div>
      )}
      {dialog && <ActionDialog payment={dialog.payment} intent={dialog.intent} onClose={() => setDialog(null)} onDone={done} />}
    </section>
  )
}

function PaymentPanel({ p, onAction, onResolve }: { p: Payment; onAction: (intent: string) => void; onResolve: (opId: number) => void }) {
  const t = useT()
  const unknown = p.operations.find((op) => op.state.code === 'unknown' || op.state.code === 'pending' || op.state.code === 'sent')
  const row = (label: string, value: React.ReactNode) => (value === '' || value === 0 ? null : <><dt>{label}</dt><dd>{value}</dd></>)
  return (
    <div className="payment" data-testid="payment" data-payment-id={p.id}>
      <div className="payment-head">
        <Badge label={p.state} kind="payment" testId="payment-state" />
        <span>{t.label(p.method)}</span>
        <span className="muted">{p.profileName || p.gatewayLabel}</span>
        {p.demo && <span className="tag" data-testid="demo-badge">{t.demo}</span>}
      </div>
      <dl>
        {row(t.authorized, p.amountAuthorized ? yen(p.amountAuthorized, t.lang) : '')}
        {row(t.captured, p.amountCaptured ? yen(p.amountCaptured, t.lang) : '')}
        {row(t.refunded, p.amountRefunded ? yen(p.amountRefunded, t.lang) : '')}
        {row(t.tax, p.tax ? yen(p.tax, t.lang) : '')}
        {row(t.processedAt, dateTime(p.processedAt ?? ''))}
        {row(t.authorizedAt, dateTime(p.authorizedAt))}
        {row(t.authExpires, p.authExpiresAt ? <>{dateTime(p.authExpiresAt)}{p.authDaysLeft !== null && <span className={p.authDaysLeft <= 7 ? 'warn' : 'sub'}> （{t.daysLeft(p.authDaysLeft)}）</span>}</> : '')}
        {row(t.capturedAt, dateTime(p.capturedAt))}
        {row(t.deadline, dateTime(p.paymentDeadline))}
        {row(t.paidAt, dateTime(p.paidAt))}
        {/* The ids named as the gateway's console names them. */}
        {row(p.gateway === 'sbps' ? t.sbpsOrderId : p.gateway === 'paygent' ? t.paygentTradingId : t.gmoOrderId,
          <span className="mono">{p.gatewayOrderId}</span>)}
        {row(p.gateway === 'sbps' ? t.sbpsTrackingId : p.gateway === 'paygent' ? t.paygentPaymentIds : t.gmoTranId,
          <span className="mono">{p.gatewayTranId}</span>)}
        {row(t.rawStatus, <span className="mono">{p.rawStatus}</span>)}
        {row(t.lastSynced, dateTime(p.lastSyncedAt))}
      </dl>
      {p.review ? (
        <div className="warn-box" data-testid="review-needed">{t.reviewNeeded}</div>
      ) : p.inFlight || unknown ? (
        <div className="warn-box" data-testid="in-flight">
          {t.unknownOutcome}
          {unknown && <button data-testid="resolve-panel" onClick={() => onResolve(unknown.id)}>{t.resolve}</button>}
        </div>
      ) : (
        <div className="actions">
          {p.actions.length === 0 && <span className="muted">{t.noActions}</span>}
          {p.actions.map((a) => (
            <button key={a} className={a === 'capture' ? 'primary' : a === 'cancel' ? 'danger' : ''} data-testid={`action-${a}`}
              onClick={() => onAction(a)}>{t.intent[a] ?? a}</button>
          ))}
        </div>
      )}
    </div>
  )
}

// RecordOutcome lets the operator record what the gateway's console shows for an
// operation the inquiry cannot decide; the choice is hidden behind an explanation.
function RecordOutcome({ newIdNeeded, onRecord }: { newIdNeeded: boolean; onRecord: (applied: boolean, newId: string) => void }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [newId, setNewId] = useState('')
  if (!open) return <button className="link" data-testid="record-outcome" onClick={() => setOpen(true)}>{t.recordOutcome}</button>
  return (
    <div className="warn-box" data-testid="record-outcome-box">
      <p>{t.recordOutcomeHelp}</p>
      {newIdNeeded && (
        <label>{t.recordNewId}
          <input data-testid="record-new-id" value={newId} onChange={(e) => setNewId(e.target.value)} />
        </label>
      )}
      <button data-testid="record-applied" disabled={newIdNeeded && newId.trim() === ''}
        onClick={() => { setOpen(false); onRecord(true, newId) }}>{t.recordApplied}</button>
      <button data-testid="record-not-applied" onClick={() => { setOpen(false); onRecord(false, '') }}>{t.recordNotApplied}</button>
      <button className="link" onClick={() => setOpen(false)}>{t.cancel}</button>
    </div>
  )
}
