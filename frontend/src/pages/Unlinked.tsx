import { useCallback, useEffect, useRef, useState } from 'react'
import { toUIError, useApi } from '../api'
import type { ConsoleImportResult, ImportLayout, LinkProgress, LinkRow, ProfileView, TxView, UIError } from '../api'
import { Badge, ErrorMessage, FilePath, ProgressBar, Spinner } from '../components/common'
import { LinkRunner } from '../components/LinkRunner'
import { dateTime, useT, yen } from '../i18n'
import { useDataChanged } from '../live'

// UnlinkedTab is the 未連携 work list: imported orders that have no payment yet, each
// with the reason (no transaction found, several candidates, no gateway profile for its
// method…). From here the operator runs the link, imports the gateway console's
// transaction CSV, or chooses between candidates.
export function UnlinkedTab({ onOpen, onChanged }: { onOpen: (orderId: number) => void; onChanged: () => void }) {
  const api = useApi()
  const t = useT()
  const [rows, setRows] = useState<LinkRow[] | null>(null)
  const [error, setError] = useState<UIError | null>(null)
  const [notice, setNotice] = useState('')
  const [consoleOpen, setConsoleOpen] = useState(false)
  const [choosing, setChoosing] = useState(false)

  const reload = useCallback(() => {
    api.unlinked().then(setRows).catch((e) => setError(toUIError(e)))
  }, [api])
  useEffect(reload, [reload])
  useDataChanged(reload, { tables: ['orders', 'order_links', 'payments'], waitForDialogs: true }) // another desktop's change
  const changed = () => {
    reload()
    onChanged()
  }
  const choose = async (r: LinkRow, i: number) => {
    setChoosing(true)
    setError(null)
    setNotice('')
    try {
      await api.linkChoose(r.orderId, i)
      setNotice(t.linkChosen(r.orderNo))
      changed()
    } catch (e) {
      setError(toUIError(e))
    } finally {
      setChoosing(false)
    }
  }
  return (
    <div data-testid="work-list-unlinked">
      <p className="muted">{t.unlinkedLead}</p>
      <div className="unlinked-actions">
        <LinkRunner onFinished={changed} />
        {!consoleOpen && <button data-testid="console-open" onClick={() => setConsoleOpen(true)}>{t.consoleImport}</button>}
      </div>
      {consoleOpen && <ConsoleImport onClose={() => setConsoleOpen(false)} onDone={changed} />}
      {notice && <div className="notice" role="status" data-testid="notice">{notice}</div>}
      <ErrorMessage error={error} />
      {!rows && !error && <Spinner text={t.loading} />}
      {rows && rows.length === 0 && <p className="muted" data-testid="unlinked-empty">{t.unlinkedNone}</p>}
      {rows && rows.length > 0 && (
        <table className="orders" data-testid="unlinked-table">
          <thead>
            <tr>
              <th>{t.orderNo}</th><th>{t.customerName}</th><th>{t.paymentMethod}</th><th className="num">{t.amount}</th>
              <th>{t.orderedAt}</th><th>{t.linkState}</th><th>{t.reason}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => [
              <tr key={r.orderId} data-testid="unlinked-row" data-order-no={r.orderNo} data-state={r.status.code} tabIndex={0}
                onClick={() => onOpen(r.orderId)} onKeyDown={(e) => e.key === 'Enter' && onOpen(r.orderId)}>
                <td className="mono">{r.orderNo}</td>
                <td>{r.customerName}</td>
                <td>{t.label(r.method)}</td>
                <td className="num">{yen(r.total, t.lang)}</td>
                <td>{dateTime(r.orderedAt)}</td>
                <td><Badge label={r.status} kind="link" /></td>
                <td>{t.lang === 'en' ? r.reasonEn || r.reason : r.reason}{r.gatewayOrderId && r.gatewayOrderId !== r.orderNo && <div className="sub">{t.gatewayId}: <span className="mono">{r.gatewayOrderId}</span></div>}</td>
              </tr>,
              r.candidates.length > 0 && (
                <tr key={`c${r.orderId}`} className="candidates-row" data-testid="candidates" data-order-no={r.orderNo}>
                  <td colSpan={7}>
                    <div className="sub">{t.candidatesLead(r.candidates.length)}</div>
                    <div className="tx-compare">
                      {r.candidates.map((c, i) => (
                        <TxCard key={i} tx={c} orderTotal={r.total} testId="candidate">
                          <button className="primary" data-testid="candidate-choose" disabled={choosing || !!c.error} onClick={() => choose(r, i)}>
                            {t.linkThis}
                          </button>
                        </TxCard>
                      ))}
                    </div>
                  </td>
                </tr>
              ),
            ])}
          </tbody>
        </table>
      )}
    </div>
  )
}

// TxCard is one transaction as the gateway reports it, for comparing side by side.
export function TxCard({ tx, orderTotal, testId, children }: { tx: TxView; orderTotal: number; testId: string; children?: React.ReactNode }) {
  const t = useT()
  const row = (label: string, value: React.ReactNode) => (value === '' || value === null ? null : <><dt>{label}</dt><dd>{value}</dd></>)
  const noAmount = tx.gateway === 'sbps' && !tx.amountFromConsole && tx.amount === 0
  // Each gateway's console names its ids its own way.
  const [orderIdLabel, tranIdLabel] = tx.gateway === 'sbps' ? [t.sbpsOrderId, t.sbpsTrackingId]
    : tx.gateway === 'paygent' ? [t.paygentTradingId, t.paygentPaymentIds] : [t.gmoOrderId, t.gmoTranId]
  return (
    <div className="tx-card" data-testid={testId} data-state={tx.state?.code ?? ''}>
      {!tx.error && (
        <div className="payment-head">
          {tx.state?.code ? <Badge label={tx.state} kind="payment" /> : null}
          <span>{t.label(tx.method)}</span>
          <span className="muted">{tx.gatewayLabel}</span>
        </div>
      )}
      {tx.error ? <div className="error" data-testid="tx-error">{tx.error}</div> : (
        <dl>
          {row(t.amount, noAmount ? <span className="muted">{t.sbpsNoAmount}</span> : (
            <>{yen(tx.amount, t.lang)}{tx.amountFromConsole && <span className="sub"> {t.amountFromConsole}</span>}
              {tx.amount !== orderTotal && tx.amount > 0 && <div className="warn" data-testid="tx-amount-differs">{t.amountDiffers(yen(orderTotal, t.lang))}</div>}</>
          ))}
          {row(t.tax, tx.tax > 0 ? yen(tx.tax, t.lang) : '')}
          {row(t.processedAt, dateTime(tx.processedAt))}
          {row(t.authorizedAt, dateTime(tx.authorizedAt))}
          {row(t.rawStatus, tx.rawStatus && <span className="mono">{tx.rawStatus}</span>)}
          {row(orderIdLabel, tx.gatewayOrderId && <span className="mono">{tx.gatewayOrderId}</span>)}
          {row(tranIdLabel, tx.tranId && <span className="mono">{tx.tranId}</span>)}
        </dl>
      )}
      {children}
    </div>
  )
}

// ConsoleImport links in bulk from the transaction CSV exported from the gateway's
// console (for back offices whose ids cannot be formed from the order number).
function ConsoleImport({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const api = useApi()
  const t = useT()
  const [path, setPath] = useState('')
  const [encoding, setEncoding] = useState('')
  const [profiles, setProfiles] = useState<ProfileView[]>([])
  const [profileId, setProfileId] = useState(0)
  const [layouts, setLayouts] = useState<ImportLayout[]>([])
  const [layout, setLayout] = useState('')
  const [running, setRunning] = useState(false)
  const [progress, setProgress] = useState<LinkProgress | null>(null)
  const [stopping, setStopping] = useState(false)
  const stopped = useRef(false)
  const [result, setResult] = useState<ConsoleImportResult | null>(null)
  const [notice, setNotice] = useState('')
  const [error, setError] = useState<UIError | null>(null)

  useEffect(() => {
    api.profiles().then((ps) => {
      const own = ps.filter((p) => !p.demo)
      setProfiles(own)
      if (own.length > 0) setProfileId((id) => id || own[0].id)
    }).catch((e) => setError(toUIError(e)))
    api.linkConsoleLayouts().then((ls) => {
      setLayouts(ls)
      if (ls.length > 0) setLayout((l) => l || ls[0].name)
    }).catch((e) => setError(toUIError(e)))
  }, [api])
  useEffect(() => api.onEvent('link:progress', (d) => {
    if (running) setProgress(d as LinkProgress)
  }), [api, running])

  const browse = async () => {
    try {
      const p = await api.importChooseFile()
      if (p) setPath(p)
    } catch (e) {
      setError(toUIError(e))
    }
  }
  const submit = async () => {
    stopped.current = false
    setStopping(false)
    setRunning(true)
    setProgress(null)
    setResult(null)
    setNotice('')
    setError(null)
    try {
      setResult(await api.linkImportConsole({ path: path.trim(), encoding, profileId, layout, inline: null }))
      onDone()
    } catch (e) {
      if (stopped.current) setNotice(t.consoleStopped)
      else setError(toUIError(e))
    } finally {
      setRunning(false)
    }
  }
  const stop = () => {
    stopped.current = true
    setStopping(true)
    api.linkCancel().catch((e) => setError(toUIError(e)))
  }
  return (
    <div className="card" data-testid="console-import">
      <h2>{t.consoleImport}</h2>
      <p className="sub">{t.consoleLead}</p>
      <FilePath testId="console-file" value={path} onChange={setPath} onBrowse={browse} disabled={running} />
      <div className="form-grid">
        <label className="field"><span>{t.encoding}</span>
          <select data-testid="console-encoding" value={encoding} disabled={running} onChange={(e) => setEncoding(e.target.value)}>
            <option value="">{t.encodingAuto('')}</option>
            <option value="cp932">Shift_JIS (CP932)</option>
            <option value="utf-8">UTF-8</option>
          </select>
        </label>
        <label className="field"><span>{t.gatewaysTitle}</span>
          <select data-testid="console-profile" value={profileId} disabled={running} onChange={(e) => setProfileId(Number(e.target.value))}>
            {profiles.length === 0 && <option value={0}>{t.noOwnProfile}</option>}
            {profiles.map((p) => <option key={p.id} value={p.id}>{p.name}{t.inParens(p.kindLabel)}</option>)}
          </select>
        </label>
        <label className="field"><span>{t.consoleLayout}</span>
          <select data-testid="console-layout" value={layout} disabled={running} onChange={(e) => setLayout(e.target.value)}>
            {layouts.map((l) => <option key={l.name} value={l.name}>{l.label || l.name}</option>)}
          </select>
        </label>
      </div>
      {profiles.length === 0 && <p className="warn">{t.noOwnProfileHelp}</p>}
      {running && (
        <ProgressBar testId="console-progress" text={t.linkRunning(progress?.done ?? 0, progress?.total ?? 0)}
          value={progress?.done ?? 0} max={progress?.total ?? 0} onCancel={stop} stopping={stopping} />
      )}
      {notice && <div className="notice" role="status">{notice}</div>}
      <ErrorMessage error={error} />
      {result && (
        <div data-testid="console-result">
          <div className="notice">{t.consoleDone(result)}</div>
          {result.unmatched.length > 0 && (
            <>
              <h3>{t.consoleUnmatched}</h3>
              <table data-testid="console-unmatched">
                <thead><tr><th className="num">{t.line}</th><th>{t.gatewayId}</th><th>{t.reason}</th></tr></thead>
                <tbody>
                  {result.unmatched.map((u, i) => (
                    <tr key={i} data-testid="console-unmatched-row" data-line={u.line}>
                      <td className="num">{t.lineNo(u.line)}</td><td className="mono">{u.gatewayOrderId}</td><td>{u.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      )}
      <div className="buttons">
        <button className="primary" data-testid="console-submit" disabled={running || !path.trim() || profileId === 0 || layout === ''}
          onClick={submit}>{t.consoleSubmit}</button>
        <button data-testid="console-close" disabled={running} onClick={onClose}>{t.cancel}</button>
      </div>
    </div>
  )
}
