import { useEffect, useState } from 'react'
import { toUIError, useApi } from '../api'
import type { CaptureBucket, Overview, ProfileHealth, UIError } from '../api'
import { ErrorMessage, Spinner } from '../components/common'
import { dateTime, useT, yen } from '../i18n'
import { GettingStarted } from './Welcome'
import type { GettingStartedStep } from './Welcome'

// Where a ホーム figure leads: a work list tab, or the order list with a condition.
export type HomeTarget = { work: string } | { paymentStates: string[] }

// attention is the number on the navigation's badge: the work that should not wait —
// everything on ホーム but deposits within their deadline, キャンセル在庫 and 仮売上
// with more than a week left.
export function attention(ov: Overview | null): number {
  if (!ov) return 0
  const soon = ov.toCapture.filter((b) => b.maxDays !== null && b.maxDays <= 7).reduce((n, b) => n + b.count, 0)
  return soon + ov.captureFailed + ov.needsReview + ov.unresolved + ov.overdueDeposit + ov.stale + ov.drifts + ov.stopShipping + ov.unlinked
}

// bucketUrgency colours a day range: lapsed and ≤3 days red, ≤7 days amber.
function bucketUrgency(b: CaptureBucket): '' | 'hot' | 'warm' {
  if (b.maxDays === null) return ''
  if (b.maxDays <= 3) return 'hot'
  return b.maxDays <= 7 ? 'warm' : ''
}

// Home is ホーム, the start screen: the morning in one look. Every figure opens its
// list. The overview is loaded by the parent (it also feeds the navigation's badges).
export function Home({ overview, error, onRefresh, onGo, onSetup }: {
  overview: Overview | null
  error: UIError | null
  onRefresh: () => void
  onGo: (target: HomeTarget) => void
  onSetup: (where: GettingStartedStep) => void
}) {
  const api = useApi()
  const t = useT()
  const [syncing, setSyncing] = useState(false)
  const [syncError, setSyncError] = useState<UIError | null>(null)
  useEffect(() => api.onEvent('sync:done', () => {
    setSyncing(false)
    onRefresh()
  }), [api, onRefresh])

  const ov = overview
  const figure = (testId: string, label: string, count: number, target: HomeTarget, opts: { amount?: number; hot?: boolean; unit?: string } = {}) => (
    <button type="button" className={`figure ${count > 0 && opts.hot ? 'hot' : ''} ${count === 0 ? 'zero' : ''}`} data-testid={testId} data-count={count}
      onClick={() => onGo(target)}>
      <span className="figure-label">{label}</span>
      <strong>{opts.unit ? t.homeLines(count) : t.homeCount(count)}</strong>
      {opts.amount !== undefined && <span className="figure-amount">{yen(opts.amount, t.lang)}</span>}
    </button>
  )
  return (
    <section className="page home" data-testid="home">
      <h1>{t.homeTitle}<span className="muted today">{t.homeToday(new Date())}</span></h1>
      <ErrorMessage error={error} />
      {!ov && !error && <Spinner text={t.loading} />}
      {ov && ov.orders === 0 && !ov.demo && <GettingStarted onGo={onSetup} />}
      {ov && (ov.orders > 0 || ov.demo) && (
        <div className="home-grid">
          <div className="card home-card capture" data-testid="home-to-capture">
            <button type="button" className="card-head" onClick={() => onGo({ work: 'to_capture' })}>
              <h2>{t.homeToCapture}</h2>
              <span className="card-total">{t.homeCount(ov.toCaptureCount)} <small>{yen(ov.toCaptureAmount, t.lang)}</small></span>
            </button>
            <table className="buckets">
              <tbody>
                {ov.toCapture.map((b, i) => (
                  <tr key={i} className={`${bucketUrgency(b)} ${b.count === 0 ? 'zero' : ''}`} data-testid="home-bucket" data-count={b.count}
                    onClick={() => onGo({ work: 'to_capture' })}>
                    <th>{t.homeBucket(b.minDays, b.maxDays)}</th>
                    <td className="num">{t.homeCount(b.count)}</td>
                    <td className="num">{yen(b.amount, t.lang)}</td>
                  </tr>
                ))}
                {ov.toCaptureNoExpiry > 0 && (
                  <tr data-testid="home-bucket" data-count={ov.toCaptureNoExpiry} onClick={() => onGo({ work: 'to_capture' })}>
                    <th>{t.homeBucketUnknown}</th>
                    <td className="num">{t.homeCount(ov.toCaptureNoExpiry)}</td>
                    <td className="num">{yen(ov.toCaptureNoExpiryAmount, t.lang)}</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>

          <div className="card home-card" data-testid="home-capture-failed">
            <button type="button" className="card-head" onClick={() => onGo({ work: 'capture_failed' })}>
              <h2>{t.homeCaptureFailed}</h2>
              <span className={`card-total ${ov.captureFailed > 0 ? 'hot' : ''}`}>{t.homeCount(ov.captureFailed)} <small>{yen(ov.captureFailedAmount, t.lang)}</small></span>
            </button>
            {ov.failReasons.length === 0 && <p className="muted">{ov.captureFailed === 0 ? t.homeNone : t.homeNoReason}</p>}
            <ul className="reasons">
              {ov.failReasons.map((r) => (
                <li key={r.code + r.message} data-testid="home-fail-reason">
                  <span>{r.message || t.homeNoReason}{r.code && <span className="sub mono"> {r.code}</span>}</span>
                  <strong>{t.homeCount(r.count)}</strong>
                </li>
              ))}
            </ul>
          </div>

          <div className="card home-card">
            <h2>{t.homeMoney}</h2>
            <div className="figures">
              {figure('home-awaiting-deposit', t.homeAwaitingDeposit, ov.awaitingDeposit, { paymentStates: ['awaiting_deposit'] }, { amount: ov.awaitingDepositAmount })}
              {figure('home-overdue-deposit', t.homeOverdueDeposit, ov.overdueDeposit, { work: 'overdue_deposit' }, { amount: ov.overdueDepositAmount, hot: true })}
              {figure('home-needs-review', t.homeNeedsReview, ov.needsReview, { work: 'needs_review' }, { hot: true })}
              {figure('home-unresolved', t.homeUnresolved, ov.unresolved, { work: 'needs_review' }, { hot: true })}
            </div>
          </div>

          <div className="card home-card">
            <h2>{t.homeGatewaySide}</h2>
            <div className="figures">
              {figure('home-stop-shipping', t.homeStopShipping, ov.stopShipping, { work: 'stop_shipping' }, { hot: true })}
              {figure('home-drifts', t.homeDrifts, ov.drifts, { work: 'drifts' }, { hot: true })}
              {figure('home-unlinked', t.homeUnlinked, ov.unlinked, { work: 'unlinked' }, { hot: true })}
              {figure('home-stale', t.homeStale, ov.stale, { work: 'stale_processing' }, { hot: true })}
              {figure('home-cancel-stock', t.homeCancelStock, ov.cancelStock, { work: 'stock' }, { unit: 'lines' })}
            </div>
          </div>

          <div className="card home-card sync-card" data-testid="home-sync">
            <div className="card-head static">
              <h2>{t.homeSync}</h2>
              <button type="button" data-testid="home-sync-now" disabled={syncing} onClick={() => {
                setSyncing(true)
                setSyncError(null)
                setTimeout(() => setSyncing(false), 120_000) // never leave the button stuck
                api.syncNow().catch((e) => {
                  setSyncing(false)
                  setSyncError(toUIError(e))
                })
              }}>{syncing ? t.homeSyncing : t.syncNow}</button>
            </div>
            <ErrorMessage error={syncError} />
            {ov.sync.length === 0 && <p className="muted">{t.homeNoProfiles}</p>}
            <ul className="health">
              {ov.sync.map((h) => <Health key={h.profileId} h={h} />)}
            </ul>
          </div>
        </div>
      )}
    </section>
  )
}

// Health is one gateway profile's sync: a failed or offline profile shows why, not
// the time of an older success.
function Health({ h }: { h: ProfileHealth }) {
  const t = useT()
  return (
    <li data-testid="home-health" data-state={h.state}>
      <span className={`dot ${h.state}`} aria-hidden="true" />
      <div>
        <strong>{h.name}</strong> <span className={`health-state ${h.state}`}>{t.homeHealth[h.state]}</span>
        <div className="sub">
          {h.state === 'ok' && t.homeSyncOk(dateTime(h.lastSuccess))}
          {h.state === 'never' && t.homeSyncNever}
          {h.state === 'error' && t.homeSyncError(dateTime(h.since))}
          {h.state === 'offline' && t.homeSyncOffline(dateTime(h.since))}
        </div>
        {(h.state === 'error' || h.state === 'offline') && h.reason && <div className="health-reason" data-testid="home-health-reason">{h.reason}</div>}
        {(h.state === 'error' || h.state === 'offline') && h.lastSuccess && <div className="sub">{t.homeLastGood(dateTime(h.lastSuccess))}</div>}
      </div>
    </li>
  )
}
