import { useEffect, useRef, useState } from 'react'
import { newIdempotencyKey, toUIError, useApi } from '../api'
import type { ActionPreview, OperationResult, Payment, UIError } from '../api'
import { ErrorMessage, Spinner } from '../components/common'
import { useT, yen } from '../i18n'

const needsAmount: Record<string, 'newAmount' | 'refundAmount' | 'reauthAmount'> = {
  change_amount: 'newAmount',
  partial_refund: 'refundAmount',
  reauth: 'reauthAmount',
}

// ActionDialog shows what an action will send and why, and sends it once. The
// idempotency key is made when the dialog opens: a double click cannot send twice.
export function ActionDialog({ payment, intent, onClose, onDone }: {
  payment: Payment
  intent: string
  onClose: () => void
  onDone: (r: OperationResult) => void
}) {
  const api = useApi()
  const t = useT()
  const [key] = useState(newIdempotencyKey)
  const amountKey = needsAmount[intent]
  const [amount, setAmount] = useState(intent === 'change_amount' ? String(payment.amountAuthorized || payment.amountCaptured) : '')
  const [captureNow, setCaptureNow] = useState(false)
  const [preview, setPreview] = useState<ActionPreview | null>(null)
  const [checking, setChecking] = useState(false)
  const [sending, setSending] = useState(false)
  const sendingRef = useRef(false)
  const [error, setError] = useState<UIError | null>(null)
  const what = t.intent[intent] ?? intent
  const input = { intent, amount, captureNow }

  const check = () => {
    setChecking(true)
    setError(null)
    setPreview(null)
    api.preview(payment.id, input)
      .then(setPreview)
      .catch((e) => setError(toUIError(e)))
      .finally(() => setChecking(false))
  }
  // Actions without input are previewed at once; the others when the operator asks.
  useEffect(() => {
    if (!amountKey) check()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const send = async () => {
    if (sendingRef.current) return
    sendingRef.current = true
    setSending(true)
    setError(null)
    try {
      onDone(await api.run(payment.id, input, key))
    } catch (e) {
      setError(toUIError(e))
    } finally {
      sendingRef.current = false
      setSending(false)
    }
  }

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="dialog-title" data-testid="confirm-dialog">
      <div className="dialog">
        <h2 id="dialog-title">{t.confirmTitle(what)}</h2>
        {amountKey && (
          <form className="dialog-form" onSubmit={(e) => {
            e.preventDefault()
            check()
          }}>
            <label className="field">
              <span>{t[amountKey]}</span>
              <input data-testid="action-amount" inputMode="numeric" value={amount} autoFocus
                onChange={(e) => {
                  setAmount(e.target.value)
                  setPreview(null)
                }} />
            </label>
            {intent !== 'partial_refund' && (
              <label className="check">
                <input type="checkbox" data-testid="action-capture-now" checked={captureNow}
                  onChange={(e) => {
                    setCaptureNow(e.target.checked)
                    setPreview(null)
                  }} /> {t.captureNow}
              </label>
            )}
            <button type="submit" data-testid="action-check" disabled={checking || sending}>{t.willSend}</button>
          </form>
        )}
        {checking && <Spinner text={t.preparing} />}
        {preview && (
          <div className="preview" data-testid="action-preview">
            <p>{preview.reason}</p>
            {preview.orderOnly ? <p>{t.orderOnly}</p> : (
              <>
                <h3>{t.willSend}</h3>
                <ol>
                  {preview.steps.map((s, i) => (
                    <li key={i} data-testid="preview-step">
                      <strong>{t.label(s.kind)}</strong> {s.amount > 0 && yen(s.amount, t.lang)}
                      {s.reason && s.reason !== preview.reason && <div className="sub">{s.reason}</div>}
                    </li>
                  ))}
                </ol>
              </>
            )}
            {preview.manualRefund > 0 && <p className="warn">{t.manualRefund(yen(preview.manualRefund, t.lang))}</p>}
            {preview.newStatus?.code && <p>{t.newStatus}: <strong>{t.label(preview.newStatus)}</strong></p>}
          </div>
        )}
        <ErrorMessage error={error} />
        {sending && <Spinner text={t.sending} />}
        <div className="buttons">
          <button className="primary" data-testid="confirm-submit" disabled={!preview || sending || checking} onClick={send}>
            {t.execute(what)}
          </button>
          <button data-testid="confirm-cancel" disabled={sending} onClick={onClose}>{t.cancel}</button>
        </div>
      </div>
    </div>
  )
}
