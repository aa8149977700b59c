import { useState } from 'react'
import { toUIError, useApi } from '../api'
import type { OperationResult, Payment, UIError } from '../api'
import { ErrorMessage, Spinner } from '../components/common'
import { useT } from '../i18n'
import { TxCard } from './Unlinked'

// ReviewPanel (現在の決済を選んでください) is shown in 受注詳細 for a payment whose
// gateway holds several transactions under its id (Paygent 13002): the candidates side
// by side as the link panel shows transactions, a field for payment ids pasted from
// the console (each checked with the gateway before it is listed), and the choice,
// which the backend checks with the gateway again before recording it.
export function ReviewPanel({ payment, orderTotal, onDone }: { payment: Payment; orderTotal: number; onDone: (r: OperationResult) => void }) {
  const api = useApi()
  const t = useT()
  const review = payment.review
  const [pasted, setPasted] = useState('')
  const [busy, setBusy] = useState<'' | 'add' | 'choose'>('')
  const [error, setError] = useState<UIError | null>(null)
  if (!review) return null

  const ids = pasted.split(/[\r\n,、\s]+/).map((x) => x.trim()).filter(Boolean)
  const call = async (what: 'add' | 'choose', fn: () => Promise<OperationResult>) => {
    setBusy(what)
    setError(null)
    try {
      const r = await fn()
      if (what === 'add') setPasted('')
      onDone(r)
    } catch (e) {
      setError(toUIError(e))
    } finally {
      setBusy('')
    }
  }

  return (
    <div className="review-panel" data-testid="review-panel" data-payment-id={payment.id}>
      <h2>{t.reviewTitle}</h2>
      <p className="sub">{t.reviewLead}</p>
      {review.operationId > 0 && <p className="sub" data-testid="review-settles-op">{t.reviewSettlesOp}</p>}
      {review.candidates.length === 0 && <p className="warn">{t.reviewNoCandidates}</p>}
      <div className="tx-compare">
        {review.candidates.map((c) => (
          <TxCard key={c.tranId} tx={c} orderTotal={orderTotal} testId="review-candidate">
            <button className="primary" data-testid="review-choose" disabled={busy !== '' || !!c.error}
              onClick={() => call('choose', () => api.chooseCandidate(payment.id, c.tranId))}>{t.reviewChoose}</button>
          </TxCard>
        ))}
      </div>
      <label className="field">
        <span>{t.reviewPaste}</span>
        <textarea data-testid="review-paste" rows={2} className="mono" value={pasted} onChange={(e) => setPasted(e.target.value)} />
      </label>
      <div className="buttons">
        <button data-testid="review-add" disabled={busy !== '' || ids.length === 0}
          onClick={() => call('add', () => api.addCandidates(payment.id, ids))}>{t.reviewAdd}</button>
      </div>
      {busy !== '' && <Spinner text={t.reviewChecking} />}
      <ErrorMessage error={error} />
    </div>
  )
}
