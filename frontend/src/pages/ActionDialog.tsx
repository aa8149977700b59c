import * as Dialog from '@radix-ui/react-dialog'
import { useEffect, useRef, useState } from 'react'
import { newIdempotencyKey, toUIError, useApi } from '../api'
import type { ActionInput, ActionPreview, OperationProgress, OperationResult, Payment, UIError } from '../api'
import { ErrorMessage, Spinner } from '../components/common'
import { useT, yen } from '../i18n'

const needsAmount: Record<string, 'newAmount' | 'refundAmount' | 'reauthAmount'> = {
  change_amount: 'newAmount',
  partial_refund: 'refundAmount',
  reauth: 'reauthAmount',
}

// Intents that take money back: their confirm button is red.
export const destructive = (intent: string) => intent === 'cancel' || intent === 'partial_refund'

// Phases of the dialog: the operator's input, waiting for the gateway, the outcome not
// known (the engine asks the gateway; the journal keeps the operation locked), refused.
type Phase = 'input' | 'sending' | 'unknown' | 'failed'

// ActionDialog shows what an action will send and why, and sends it once. The
// idempotency key is made when the dialog opens: a double click cannot send twice.
// What is sent is exactly what was previewed: any edit clears the preview.
//   onDone: the action succeeded (the parent shows the new order).
//   onSettled: anything else ended or the operator left a wait: the parent reloads.
//   changedElsewhere: another desktop changed the order while the dialog was open (the
//   live view): the dialog says so and sends nothing until the operator has checked
//   again (onRecheck: the parent passes the payment as it is now).
//   onStale: the engine refused the preview or the confirm because the payment changed
//   since it was read (its version, UIError.changed; nothing was sent): the parent reads
//   the order again and passes the payment as it is now; the dialog says so.
// Every payment the parent passes after the first is previewed again, with its version:
// what is confirmed is sent only if the payment is still the one previewed.
export function ActionDialog({ payment, intent, orderStatus, changedElsewhere = false, onRecheck, onStale, onClose, onDone, onSettled }: {
  payment: Payment
  intent: string
  orderStatus?: string // the order's 対応状況 code: a shipped order's capture keeps it shipped
  changedElsewhere?: boolean
  onRecheck?: () => void
  onStale?: () => void
  onClose: () => void
  onDone: (r: OperationResult) => void
  onSettled?: () => void
}) {
  const api = useApi()
  const t = useT()
  const [key, setKey] = useState(newIdempotencyKey)
  const amountKey = needsAmount[intent]
  const [amount, setAmount] = useState(intent === 'change_amount' ? String(payment.amountAuthorized || payment.amountCaptured) : '')
  const [captureNow, setCaptureNow] = useState(false)
  const [status, setStatus] = useState(orderStatus === 'shipped' ? 'shipped' : 'paid')
  const [preview, setPreview] = useState<ActionPreview | null>(null)
  const [previewed, setPreviewed] = useState<ActionInput | null>(null)
  const [checking, setChecking] = useState(false)
  const [phase, setPhase] = useState<Phase>('input')
  const [stage, setStage] = useState<OperationProgress['stage'] | ''>('')
  const [waited, setWaited] = useState(0)
  const sendingRef = useRef(false)
  const [error, setError] = useState<UIError | null>(null)
  const [stale, setStale] = useState(false) // refused: the payment changed since it was read
  const what = t.intent[intent] ?? intent
  const input = (): ActionInput => ({ intent, amount, captureNow, ...(intent === 'capture' ? { status } : {}), version: payment.version })

  // The engine refused because the payment changed since it was read: nothing was sent
  // (a new key all the same). The parent reads it again; the dialog previews it anew.
  const refusedAsChanged = () => {
    setKey(newIdempotencyKey())
    setPhase('input')
    setPreview(null)
    setPreviewed(null)
    setError(null)
    setStale(true)
    if (onStale) onStale()
    else onSettled?.()
  }

  const check = (inp: ActionInput = input()) => {
    setChecking(true)
    setError(null)
    setPreview(null)
    setPreviewed(null)
    api.preview(payment.id, inp)
      .then((pv) => {
        setPreview(pv)
        setPreviewed(inp)
      })
      .catch((e) => {
        const err = toUIError(e)
        if (err.changed) refusedAsChanged()
        else setError(err)
      })
      .finally(() => setChecking(false))
  }
  // Actions without input are previewed at once; the others when the operator asks.
  useEffect(() => {
    if (!amountKey) check()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  // The parent passed the payment as it is now (checked again, read again after a
  // refusal or an outcome): what was previewed is gone; an action without input is
  // previewed again.
  // After an outcome (a refusal, an unknown one) the payment is only kept: 入力に戻る
  // previews it.
  const shownPayment = useRef(payment)
  useEffect(() => {
    if (shownPayment.current === payment) return
    shownPayment.current = payment
    if (phase !== 'input' || sendingRef.current) return
    edit()
    if (!amountKey) check()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [payment])

  // The engine reports its stage: 送信中 → 照会中 (the answer was lost: it asks the gateway).
  useEffect(() => api.onEvent('operation:progress', (d) => {
    const p = d as OperationProgress
    if (p.paymentId !== payment.id || !sendingRef.current) return
    setStage(p.stage)
    if (p.stage === 'inquiring') setPhase('unknown')
  }), [api, payment.id])
  useEffect(() => {
    if (phase !== 'sending' && !(phase === 'unknown' && sendingRef.current)) return
    const timer = setInterval(() => setWaited((w) => w + 1), 1000)
    return () => clearInterval(timer)
  }, [phase])

  const edit = () => {
    setPreview(null)
    setPreviewed(null)
  }
  const canSend = phase === 'input' && !!preview && !!previewed && !checking && !changedElsewhere
  const send = async () => {
    if (sendingRef.current || !canSend || !previewed) return
    sendingRef.current = true
    setPhase('sending')
    setStage('sending')
    setWaited(0)
    setError(null)
    setStale(false)
    try {
      // Exactly what was previewed, for the payment as the preview read it.
      const r = await api.run(payment.id, { ...previewed, version: preview?.paymentVersion || previewed.version }, key)
      sendingRef.current = false
      onDone(r)
    } catch (e) {
      sendingRef.current = false
      const err = toUIError(e)
      if (err.changed) {
        refusedAsChanged()
        return
      }
      setError(err)
      // The outcome is not known (backend.EUNKNOWN): the payment stays locked until asked.
      setPhase(err.code === 'unknown' ? 'unknown' : 'failed')
      onSettled?.()
    }
  }
  // Another try after a refusal is a new request: a new key (the journal recorded the
  // refused one as failed).
  const again = () => {
    setKey(newIdempotencyKey())
    setError(null)
    setPhase('input')
    setPreview(null)
    setPreviewed(null)
    if (!amountKey) check()
  }
  const close = () => {
    if (sendingRef.current) onSettled?.() // left while waiting: the work goes on, the page reloads when it ends
    onClose()
  }
  const waiting = sendingRef.current

  return (
    <Dialog.Root open onOpenChange={(open) => !open && close()}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content className={`dialog${destructive(intent) ? ' destructive' : ''}`} data-testid="confirm-dialog" data-phase={phase}
          aria-describedby={undefined}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault()
              send()
            }
          }}>
          <Dialog.Title id="dialog-title">{t.confirmTitle(what)}</Dialog.Title>
          {changedElsewhere && phase === 'input' && (
            <div className="warn-box" role="alert" data-testid="dialog-changed-elsewhere">
              {t.liveDialogChanged}
              <button data-testid="dialog-recheck" onClick={() => {
                edit()
                if (onRecheck) onRecheck() // the new payment is previewed again
                else if (!amountKey) check()
              }}>{t.liveRecheck}</button>
            </div>
          )}
          {stale && phase === 'input' && (
            <div className="warn-box" role="alert" data-testid="dialog-stale">{t.liveDialogStale}</div>
          )}
          {phase === 'input' && amountKey && (
            <form className="dialog-form" onSubmit={(e) => {
              e.preventDefault()
              check()
            }}>
              <label className="field">
                <span>{t[amountKey]}</span>
                <input data-testid="action-amount" inputMode="numeric" value={amount} autoFocus
                  onChange={(e) => {
                    setAmount(e.target.value)
                    edit()
                  }} />
              </label>
              {intent !== 'partial_refund' && (
                <label className="check">
                  <input type="checkbox" data-testid="action-capture-now" checked={captureNow}
                    onChange={(e) => {
                      setCaptureNow(e.target.checked)
                      edit()
                    }} /> {t.captureNow}
                </label>
              )}
              <button type="submit" data-testid="action-check" disabled={checking}>{t.willSend}</button>
            </form>
          )}
          {phase === 'input' && intent === 'capture' && (
            <fieldset className="status-choice" data-testid="capture-status">
              <legend>{t.dlgStatusAfter}</legend>
              {(['paid', 'shipped'] as const).map((s) => (
                <label key={s}>
                  <input type="radio" name="capture-status" value={s} data-testid={`capture-status-${s}`} checked={status === s}
                    onChange={() => {
                      setStatus(s)
                      check({ intent, amount, captureNow, status: s })
                    }} /> {t.dlgStatus[s]}
                </label>
              ))}
            </fieldset>
          )}
          {checking && <Spinner text={t.preparing} />}
          {preview && phase !== 'failed' && (
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
              {preview.newStatus?.code && <p>{t.newStatus}: <strong data-testid="preview-status">{t.label(preview.newStatus)}</strong></p>}
            </div>
          )}
          {phase === 'sending' && (
            <div className="stage" role="status" data-testid="action-stage" data-stage={stage}>
              <span className="spinner" aria-hidden="true" /> {stage === 'inquiring' ? t.dlgInquiring : t.dlgSending}
              {waited >= 5 && <span className="sub"> {t.inParens(t.dlgWaited(waited))}</span>}
              {waited >= 10 && <p className="sub">{t.dlgCanLeave}</p>}
            </div>
          )}
          {phase === 'unknown' && (
            <div className="warn-box unknown-panel" role="alert" data-testid="unknown-panel">
              <strong>{t.dlgUnknownTitle}</strong>
              <p>{waiting ? t.dlgUnknownAsking : t.dlgUnknownLocked}</p>
              <ul>
                <li>{t.dlgUnknownNoResend}</li>
                <li>{waiting ? t.dlgUnknownLeave : t.dlgUnknownNext}</li>
              </ul>
              {waiting && <Spinner text={t.dlgInquiring} />}
            </div>
          )}
          {phase === 'failed' && <ErrorMessage error={error} />}
          {phase === 'input' && <ErrorMessage error={error} />}
          <div className="buttons">
            {(phase === 'input' || phase === 'sending') && (
              <button className={destructive(intent) ? 'danger-solid' : 'primary'} data-testid="confirm-submit" disabled={!canSend} onClick={send}
                title={t.dlgShortcut}>
                {t.execute(what)}
              </button>
            )}
            {phase === 'failed' && <button data-testid="confirm-again" onClick={again}>{t.dlgAgain}</button>}
            <button data-testid="confirm-cancel" onClick={close}>
              {phase === 'sending' || (phase === 'unknown' && waiting) ? t.dlgLeave : t.cancel}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
