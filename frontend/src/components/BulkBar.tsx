import { useEffect, useRef, useState } from 'react'
import { toUIError, useApi } from '../api'
import type { BulkJob, BulkProgress, OrderRow, UIError } from '../api'
import { useT } from '../i18n'
import { ErrorMessage } from './common'

// BulkBar runs 売上 or キャンセル on the selected orders: it confirms, shows progress
// from the "bulk:progress" events, lets the operator stop, and lists every order's
// result with "retry the failed ones".
export function BulkBar({ rows, selected, onDone }: { rows: OrderRow[]; selected: number[]; onDone: () => void }) {
  const api = useApi()
  const t = useT()
  const [confirm, setConfirm] = useState<'' | 'capture' | 'cancel'>('')
  const [jobId, setJobId] = useState(0)
  const jobRef = useRef(0)
  const [progress, setProgress] = useState<BulkProgress | null>(null)
  const [job, setJob] = useState<BulkJob | null>(null)
  const [error, setError] = useState<UIError | null>(null)
  const payments = rows.filter((r) => selected.includes(r.id) && r.paymentId > 0).map((r) => r.paymentId)

  useEffect(() => api.onEvent('bulk:progress', (d) => {
    const p = d as BulkProgress
    if (p.jobId !== jobRef.current) return
    setProgress(p)
    if (p.state !== 'running') {
      api.bulkJob(p.jobId).then(setJob).catch((e) => setError(toUIError(e)))
      onDone()
    }
  }), [api, onDone])

  const start = async (run: () => Promise<number>) => {
    setError(null)
    setJob(null)
    setProgress(null)
    try {
      const id = await run()
      jobRef.current = id
      setJobId(id)
      // A short run may finish before its id is known here: ask once.
      const j = await api.bulkJob(id)
      if (j.state !== 'running') {
        setJob(j)
        onDone()
      }
    } catch (e) {
      setError(toUIError(e))
    }
  }
  const running = jobId !== 0 && !job
  const failed = job?.counts.failed ?? 0
  const ok = job?.counts.succeeded ?? 0
  return (
    <div className="bulk" data-testid="bulk-bar">
      {!running && (
        <>
          <span className="muted">{t.selected(payments.length)}</span>
          <button className="primary" data-testid="bulk-capture" disabled={payments.length === 0} onClick={() => setConfirm('capture')}>{t.bulkCapture(payments.length)}</button>
          <button className="danger" data-testid="bulk-cancel" disabled={payments.length === 0} onClick={() => setConfirm('cancel')}>{t.bulkCancel(payments.length)}</button>
        </>
      )}
      {confirm && (
        <div className="warn-box" data-testid="bulk-confirm">
          {t.bulkConfirm(t.intent[confirm], payments.length)}
          <button className="primary" data-testid="bulk-confirm-yes" onClick={() => {
            const intent = confirm
            setConfirm('')
            start(() => api.bulkStart(intent, payments))
          }}>{t.yes}</button>
          <button onClick={() => setConfirm('')}>{t.no}</button>
        </div>
      )}
      {running && (
        <div className="bulk-progress" role="status" data-testid="bulk-progress">
          {t.bulkRunning(progress?.done ?? 0, progress?.total ?? payments.length)}
          <progress max={progress?.total || 1} value={progress?.done ?? 0} />
          <button data-testid="bulk-stop" onClick={() => api.bulkCancel(jobId)}>{t.bulkStop}</button>
        </div>
      )}
      <ErrorMessage error={error} />
      {job && (
        <div className="bulk-result" data-testid="bulk-result">
          <p>{t.bulkDone(ok, failed, job.total - ok - failed)}</p>
          {failed > 0 && <button data-testid="bulk-retry" onClick={() => start(() => api.bulkRetryFailed(job.id))}>{t.bulkRetry}</button>}
          <table>
            <tbody>
              {job.items.filter((it) => it.state !== 'succeeded').map((it) => (
                <tr key={it.paymentId} data-testid="bulk-item" data-state={it.state}>
                  <td className="mono">{it.orderNo}</td><td>{it.customerName}</td>
                  <td><span className={`badge op-${it.state}`}>{t.bulkState[it.state] ?? it.state}</span></td><td>{it.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
