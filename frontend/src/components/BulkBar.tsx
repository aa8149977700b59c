import * as AlertDialog from '@radix-ui/react-alert-dialog'
import { useEffect, useRef, useState } from 'react'
import { toUIError, useApi } from '../api'
import type { BulkJob, BulkProgress, OrderRow, UIError } from '../api'
import { useT, yen } from '../i18n'
import { ErrorMessage } from './common'
import { useOffline } from '../offline'

// Outcomes in the order the operator deals with them: what needs attention first.
const outcomes = ['failed', 'unknown', 'cancelled', 'skipped', 'queued', 'succeeded'] as const

// BulkBar runs 売上 or キャンセル on the selected orders: it confirms, shows progress
// from the "bulk:progress" events, lets the operator stop, and lists every order's
// result (each a link to its 受注詳細) with yen totals per outcome and "retry the
// failed ones". The selection is cleared when a run ends (onClear).
export function BulkBar({ rows, selected, onDone, onOpen, onClear }: {
  rows: OrderRow[]
  selected: number[]
  onDone: () => void
  onOpen?: (orderId: number) => void
  onClear?: () => void
}) {
  const api = useApi()
  const t = useT()
  const [confirm, setConfirm] = useState<'' | 'capture' | 'cancel'>('')
  const [jobId, setJobId] = useState(0)
  const jobRef = useRef(0)
  const [progress, setProgress] = useState<BulkProgress | null>(null)
  const [job, setJob] = useState<BulkJob | null>(null)
  const [error, setError] = useState<UIError | null>(null)
  // Amounts are known from the rows the run started with (a list refreshed later may no longer hold them).
  const amounts = useRef(new Map<number, number>())
  const chosen = rows.filter((r) => selected.includes(r.id) && r.paymentId > 0)
  const payments = chosen.map((r) => r.paymentId)
  // Each payment with the version its row showed: one changed since (another desktop
  // sold it…) is skipped or refused with the reason in the result, not sent blindly.
  const selection = chosen.map((r) => ({ paymentId: r.paymentId, version: r.paymentVersion }))
  const total = chosen.reduce((s, r) => s + r.total, 0)
  const offline = useOffline() // nothing is sent while the shared database is out of reach

  const finish = (j: BulkJob) => {
    setJob(j)
    onClear?.()
    onDone()
  }
  useEffect(() => api.onEvent('bulk:progress', (d) => {
    const p = d as BulkProgress
    if (p.jobId !== jobRef.current) return
    setProgress(p)
    if (p.state !== 'running') api.bulkJob(p.jobId).then(finish).catch((e) => setError(toUIError(e)))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }), [api, onDone, onClear])

  const start = async (run: () => Promise<number>) => {
    setError(null)
    setJob(null)
    setProgress(null)
    for (const r of rows) if (r.paymentId > 0) amounts.current.set(r.paymentId, r.total)
    try {
      const id = await run()
      jobRef.current = id
      setJobId(id)
      // A short run may finish before its id is known here: ask once.
      const j = await api.bulkJob(id)
      if (j.state !== 'running') finish(j)
    } catch (e) {
      setError(toUIError(e))
    }
  }
  const running = jobId !== 0 && !job
  const failed = job?.counts.failed ?? 0
  const ok = job?.counts.succeeded ?? 0
  const sums = new Map<string, { n: number; yen: number }>()
  for (const it of job?.items ?? []) {
    const s = sums.get(it.state) ?? { n: 0, yen: 0 }
    s.n++
    s.yen += amounts.current.get(it.paymentId) ?? 0
    sums.set(it.state, s)
  }
  const order = (s: string) => (outcomes as readonly string[]).indexOf(s)
  return (
    <div className="bulk" data-testid="bulk-bar">
      {!running && (
        <>
          <span className="muted">{t.selected(payments.length)}{payments.length > 0 && t.inParens(yen(total, t.lang))}</span>
          <button className="primary" data-testid="bulk-capture" disabled={payments.length === 0 || !!offline} title={offline || undefined} onClick={() => setConfirm('capture')}>{t.bulkCapture(payments.length)}</button>
          <button className="danger" data-testid="bulk-cancel" disabled={payments.length === 0 || !!offline} title={offline || undefined} onClick={() => setConfirm('cancel')}>{t.bulkCancel(payments.length)}</button>
        </>
      )}
      <AlertDialog.Root open={confirm !== ''} onOpenChange={(o) => !o && setConfirm('')}>
        <AlertDialog.Portal>
          <AlertDialog.Overlay className="overlay" />
          <AlertDialog.Content className={`dialog small${confirm === 'cancel' ? ' destructive' : ''}`} data-testid="bulk-confirm"
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault()
                document.querySelector<HTMLButtonElement>('[data-testid=bulk-confirm-yes]')?.click()
              }
            }}>
            <AlertDialog.Title>{t.confirmTitle(t.intent[confirm] ?? '')}</AlertDialog.Title>
            <AlertDialog.Description>{t.bulkConfirm(t.intent[confirm] ?? '', payments.length)}</AlertDialog.Description>
            <p><strong>{t.bulkAmount(yen(total, t.lang))}</strong></p>
            <div className="buttons">
              <AlertDialog.Action asChild>
                <button className={confirm === 'cancel' ? 'danger-solid' : 'primary'} data-testid="bulk-confirm-yes" onClick={() => {
                  const intent = confirm
                  setConfirm('')
                  if (intent) start(() => api.bulkStart(intent, selection))
                }}>{t.execute(t.intent[confirm] ?? '')}</button>
              </AlertDialog.Action>
              <AlertDialog.Cancel asChild><button data-testid="bulk-confirm-no">{t.cancel}</button></AlertDialog.Cancel>
            </div>
          </AlertDialog.Content>
        </AlertDialog.Portal>
      </AlertDialog.Root>
      {running && (
        <div className="bulk-progress" role="status" data-testid="bulk-progress">
          {t.bulkRunning(progress?.done ?? 0, progress?.total ?? payments.length)}
          <progress max={progress?.total || 1} value={progress?.done ?? 0} />
          <button data-testid="bulk-stop" onClick={() => api.bulkCancel(jobId)}>{t.bulkStop}</button>
          <span className="sub">{t.bulkCanLeave}</span>
        </div>
      )}
      <ErrorMessage error={error} />
      {job && (
        <div className="bulk-result" data-testid="bulk-result">
          <p>{t.bulkDone(ok, failed, job.total - ok - failed)}</p>
          <div className="totals-by-outcome" data-testid="bulk-totals">
            {[...sums.entries()].sort((a, b) => order(a[0]) - order(b[0])).map(([state, s]) => (
              <span key={state} data-testid={`bulk-total-${state}`}>
                <span className={`badge op-${state}`}>{t.bulkState[state] ?? state}</span> {t.bulkCount(s.n)} {yen(s.yen, t.lang)}
              </span>
            ))}
          </div>
          {failed > 0 && <button data-testid="bulk-retry" onClick={() => start(() => api.bulkRetryFailed(job.id))}>{t.bulkRetry}</button>}
          <table>
            <tbody>
              {[...job.items].sort((a, b) => order(a.state) - order(b.state)).map((it) => (
                <tr key={it.paymentId} data-testid="bulk-item" data-state={it.state}>
                  <td className="mono nowrap">
                    {onOpen ? <button className="link" data-testid="bulk-item-open" onClick={() => onOpen(it.orderId)}>{it.orderNo}</button> : it.orderNo}
                  </td>
                  <td>{it.customerName}</td>
                  <td className="num nowrap">{amounts.current.has(it.paymentId) ? yen(amounts.current.get(it.paymentId)!, t.lang) : ''}</td>
                  <td className="nowrap"><span className={`badge op-${it.state}`}>{t.bulkState[it.state] ?? it.state}</span></td>
                  <td>{it.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
