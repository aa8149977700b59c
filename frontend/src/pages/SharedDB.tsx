// 設定 → 共有データベース (issue 18): where the orders are (this PC, the team's
// PostgreSQL server, or its last copy offline), the server's connection with its test,
// and the moves: this PC's orders to an empty server, joining the team's database, the
// server's orders back to this PC, or leaving without a copy. Every change takes effect
// at the restart (Settings.Restart), which each success offers.
import * as AlertDialog from '@radix-ui/react-alert-dialog'
import { useEffect, useRef, useState } from 'react'
import { toUIError, useApi } from '../api'
import type { MoveProgress, MoveReport, SharedDBForm, SharedDBStatus, SharedTestResult, UIError } from '../api'
import { ErrorMessage, ProgressBar, Spinner } from '../components/common'
import { dateTime, useT } from '../i18n'

type Action = 'moveToServer' | 'join' | 'moveToLocal' | 'leave'

// The form as typed: the port stays text until it is sent.
type FormState = Omit<SharedDBForm, 'port'> & { port: string }

const emptyForm: FormState = { host: '', port: '5432', database: '', user: '', password: '', sslMode: 'verify-full', caFile: '' }

// isLocalHost: a server on this PC, the only one TLS may be off for (shareddb.Config.Local).
export function isLocalHost(host: string): boolean {
  const h = host.trim().replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h)
}

// serverLabel names a server as Go does: user@host:port/database.
function serverLabel(f: FormState | SharedDBForm): string {
  const host = f.host.includes(':') && !f.host.startsWith('[') ? `[${f.host}]` : f.host
  return `${f.user}@${host}:${f.port || 5432}/${f.database}`
}

function toForm(f: FormState): SharedDBForm {
  return { ...f, host: f.host.trim(), database: f.database.trim(), user: f.user.trim(), caFile: f.caFile.trim(), port: Number(f.port.trim()) || 0 }
}

const num = new Intl.NumberFormat('ja-JP')

export function SharedDBSection() {
  const api = useApi()
  const t = useT()
  const [status, setStatus] = useState<SharedDBStatus | null>(null)
  const [form, setForm] = useState<FormState>(emptyForm)
  const [tested, setTested] = useState<{ key: string; result: SharedTestResult } | null>(null)
  const [testing, setTesting] = useState(false)
  const [error, setError] = useState<UIError | null>(null)
  const [confirm, setConfirm] = useState<Action | null>(null)
  const [running, setRunning] = useState<Action | null>(null)
  const runningRef = useRef<Action | null>(null)
  const [progress, setProgress] = useState<MoveProgress | null>(null)
  const [done, setDone] = useState<{ action: Action; message: string; report?: MoveReport } | null>(null)
  const [restarting, setRestarting] = useState(false)

  useEffect(() => {
    api.sharedStatus().then((s) => {
      setStatus(s)
      if (s.form) setForm({ ...emptyForm, ...s.form, port: String(s.form.port || 5432), password: '', sslMode: s.form.sslMode || 'verify-full' })
    }).catch((e) => setError(toUIError(e)))
  }, [api])
  useEffect(() => api.onEvent('shared:progress', (d) => {
    if (runningRef.current === 'moveToServer' || runningRef.current === 'moveToLocal') setProgress(d as MoveProgress)
  }), [api])

  const key = JSON.stringify(form)
  const result = tested?.key === key ? tested.result : null
  const local = isLocalHost(form.host)
  const mode = status?.mode ?? 'local'
  const set = (patch: Partial<FormState>) => setForm((f) => {
    const next = { ...f, ...patch }
    // Unencrypted is for a server on this PC only: a host across the network goes back to verifying.
    if (next.sslMode === 'disable' && !isLocalHost(next.host)) next.sslMode = 'verify-full'
    return next
  })

  const test = async () => {
    setError(null)
    setTesting(true)
    try {
      const r = await api.sharedTest(toForm(form))
      setTested({ key, result: r })
    } catch (e) {
      setTested(null)
      setError(toUIError(e))
    } finally {
      setTesting(false)
    }
  }

  const run = async (action: Action) => {
    setConfirm(null)
    setError(null)
    setProgress(null)
    setRunning(action)
    runningRef.current = action
    const server = serverLabel(form)
    try {
      switch (action) {
        case 'moveToServer': {
          const report = await api.sharedMoveToServer(toForm(form))
          setDone({ action, message: t.sdb.movedToServer(server), report })
          break
        }
        case 'join':
          await api.sharedJoin(toForm(form))
          setDone({ action, message: mode === 'local' ? t.sdb.joined(server) : t.sdb.savedSettings })
          break
        case 'moveToLocal': {
          const report = await api.sharedMoveToLocal()
          setDone({ action, message: t.sdb.movedToLocal, report })
          break
        }
        case 'leave':
          await api.sharedLeave()
          setDone({ action, message: t.sdb.left })
          break
      }
    } catch (e) {
      setError(toUIError(e))
    } finally {
      setRunning(null)
      runningRef.current = null
    }
  }

  const restart = () => {
    setRestarting(true)
    api.restart().catch((e) => {
      setRestarting(false)
      setError(toUIError(e))
    })
  }

  if (!status) return <>{error ? <ErrorMessage error={error} /> : <Spinner text={t.loading} />}</>
  const server = status.form ? serverLabel(status.form) : ''
  const canJoin = !!result && ['empty', 'current', 'older'].includes(result.schema)
  // A move needs a database of the same version with nothing in it (dbmove): an empty one,
  // or a current one without orders.
  const canMove = mode === 'local' && !!result && (result.schema === 'empty' || (result.schema === 'current' && result.orders === 0))
  const locked = !!running || !!done

  return (
    <div className="shared-db" data-testid="shared-db">
      <div className="card" data-testid="shared-where" data-mode={mode}>
        <h2>{t.sdb.whereTitle}</h2>
        {mode === 'local' && <p><strong data-testid="shared-mode">{t.sdb.modeLocal}</strong> <span className="mono small">{status.database}</span></p>}
        {mode === 'shared' && <p><strong data-testid="shared-mode">{t.sdb.modeShared}</strong> <span className="mono">{status.database}</span></p>}
        {mode === 'offline' && (
          <div className="warn-box shared-offline">
            <div>
              <p><strong data-testid="shared-mode">{t.sdb.modeOffline}</strong></p>
              {server && <p>{t.sdb.server}: <span className="mono">{server}</span></p>}
              <p data-testid="shared-copy">{status.copyAt ? <>{t.sdb.copyAt(dateTime(status.copyAt))} <span className="mono small">{status.database}</span></> : t.sdb.noCopy}</p>
              {(status.offline || status.offlineEn) && <p data-testid="shared-why">{t.sdb.why(t.lang === 'en' ? status.offlineEn || status.offline : status.offline)}</p>}
            </div>
            <button className="primary" data-testid="shared-reconnect" disabled={restarting} onClick={restart}>{restarting ? t.set.restarting : t.sdb.reconnect}</button>
          </div>
        )}
        <p className="muted small" data-testid="shared-recorded">{t.sdb.recorded(status.operator || t.sdb.noOperator, status.pc)}</p>
        <p className="help">{t.sdb.about1}</p>
        <p className="help">{t.sdb.about2}</p>
      </div>

      <ErrorMessage error={error} />

      {done && (
        <div className="card" data-testid="shared-done">
          <div className="notice" role="status" data-testid="shared-notice">{done.message}</div>
          {done.report && <Counts report={done.report} />}
          <div className="buttons">
            <button className="primary" data-testid="shared-restart" disabled={restarting} onClick={restart}>
              {restarting ? t.set.restarting
                : done.action === 'moveToServer' || (done.action === 'join' && mode === 'local') ? t.sdb.restartShared
                  : done.action === 'moveToLocal' ? t.sdb.restartLocal : t.sdb.restart}
            </button>
          </div>
        </div>
      )}

      {running && (running === 'moveToServer' || running === 'moveToLocal') && (
        <ProgressBar testId="shared-progress" text={progress ? t.sdb.movingTable(t.sdb.tables[progress.Table] ?? progress.Table, progress.Done, progress.Total) : t.sdb.moving}
          value={progress?.Done ?? 0} max={progress?.Total ?? 0} />
      )}
      {running === 'join' && <Spinner text={t.sdb.testing} />}

      {!done && <form className="card" data-testid="shared-form" onSubmit={(e) => {
        e.preventDefault()
        test()
      }}>
        <h2>{t.sdb.formTitle}</h2>
        <div className="shared-grid">
          <label className="field"><span>{t.sdb.host}</span>
            <input data-testid="shared-host" value={form.host} disabled={locked} placeholder="db.example.jp" autoComplete="off" spellCheck={false}
              onChange={(e) => set({ host: e.target.value })} />
            <small className="muted">{t.sdb.hostHelp}</small></label>
          <label className="field"><span>{t.sdb.port}</span>
            <input data-testid="shared-port" inputMode="numeric" size={6} value={form.port} disabled={locked} onChange={(e) => set({ port: e.target.value })} /></label>
          <label className="field"><span>{t.sdb.database}</span>
            <input data-testid="shared-database" value={form.database} disabled={locked} placeholder="kessaidesk" autoComplete="off" spellCheck={false}
              onChange={(e) => set({ database: e.target.value })} /></label>
          <label className="field"><span>{t.sdb.user}</span>
            <input data-testid="shared-user" value={form.user} disabled={locked} autoComplete="off" spellCheck={false} onChange={(e) => set({ user: e.target.value })} /></label>
          <label className="field"><span>{t.sdb.password}</span>
            <input data-testid="shared-password" type="password" value={form.password} disabled={locked} autoComplete="new-password"
              placeholder={status.hasPassword ? t.sdb.passwordSaved : ''} onChange={(e) => set({ password: e.target.value })} /></label>
        </div>
        <p className="muted small">{t.sdb.passwordHelp}</p>
        <fieldset className="shared-tls" disabled={locked}>
          <legend>{t.sdb.tls}</legend>
          {([['verify-full', t.sdb.tlsFull, t.sdb.tlsFullHelp], ['verify-ca', t.sdb.tlsCa, t.sdb.tlsCaHelp], ['disable', t.sdb.tlsOff, local ? t.sdb.tlsOffHelp : t.sdb.tlsOffRemote]] as const).map(([m, label, help]) => (
            <label key={m} className="check">
              <input type="radio" name="shared-ssl" value={m} data-testid={`shared-ssl-${m}`} checked={form.sslMode === m}
                disabled={m === 'disable' && !local} onChange={() => set({ sslMode: m })} />
              <span>{label} <small className="muted">{help}</small></span>
            </label>
          ))}
        </fieldset>
        {form.sslMode !== 'disable' && (
          <label className="field"><span>{t.sdb.caFile}</span>
            <span className="shared-ca">
              <input data-testid="shared-ca" className="mono" value={form.caFile} disabled={locked} spellCheck={false} onChange={(e) => set({ caFile: e.target.value })} />
              <button type="button" data-testid="shared-ca-choose" disabled={locked} onClick={async () => {
                setError(null)
                try {
                  const path = await api.sharedChooseCAFile()
                  if (path) set({ caFile: path })
                } catch (e) {
                  setError(toUIError(e))
                }
              }}>{t.sdb.choose}</button>
              {form.caFile && <button type="button" className="link" disabled={locked} onClick={() => set({ caFile: '' })}>{t.sdb.clear}</button>}
            </span>
            <small className="muted">{t.sdb.caHelp}</small></label>
        )}
        <div className="buttons">
          <button type="submit" className={result ? '' : 'primary'} data-testid="shared-test" disabled={testing || locked}>{t.sdb.test}</button>
          {testing && <Spinner text={t.sdb.testing} />}
        </div>
        {result && <TestSummary result={result} />}
        {!result && <p className="muted small">{t.sdb.testFirst}</p>}
        {result && canJoin && (
          <div className="shared-actions" data-testid="shared-actions">
            {canMove && (
              <div className="shared-action">
                <button type="button" className="primary" data-testid="shared-move" disabled={locked} onClick={() => setConfirm('moveToServer')}>{t.sdb.moveToServer}</button>
                <small className="muted">{t.sdb.moveToServerHelp}</small>
              </div>
            )}
            <div className="shared-action">
              <button type="button" className={canMove ? '' : 'primary'} data-testid="shared-join" disabled={locked} onClick={() => setConfirm('join')}>
                {mode === 'local' ? t.sdb.join : t.sdb.saveSettings}</button>
              {mode === 'local' && <small className="muted">{t.sdb.joinHelp}</small>}
            </div>
          </div>
        )}
      </form>}

      {mode !== 'local' && !done && (
        <div className="card" data-testid="shared-stop">
          <h2>{t.sdb.sharedActionsTitle}</h2>
          {mode === 'shared' && (
            <p className="shared-action">
              <button data-testid="shared-to-local" disabled={locked} onClick={() => setConfirm('moveToLocal')}>{t.sdb.moveToLocal}</button>
              <small className="muted">{t.sdb.moveToLocalHelp}</small>
            </p>
          )}
          <p className="shared-action">
            <button className="danger" data-testid="shared-leave" disabled={locked} onClick={() => setConfirm('leave')}>{t.sdb.leave}</button>
            <small className="muted">{t.sdb.leaveHelp}</small>
          </p>
        </div>
      )}

      <AlertDialog.Root open={confirm !== null} onOpenChange={(o) => !o && setConfirm(null)}>
        <AlertDialog.Portal>
          <AlertDialog.Overlay className="overlay" />
          <AlertDialog.Content className={`dialog small${confirm === 'leave' ? ' destructive' : ''}`} data-testid="shared-confirm" data-action={confirm ?? ''}>
            <AlertDialog.Title>{confirm && titles(t, mode)[confirm]}</AlertDialog.Title>
            <AlertDialog.Description>{confirm && confirmText(t, confirm, mode, serverLabel(form), status.database)}</AlertDialog.Description>
            {confirm === 'join' && mode === 'local' && result?.schema === 'empty' && <p className="muted small">{t.sdb.joinFirst}</p>}
            {confirm === 'join' && result?.schema === 'older' && <p className="muted small">{t.sdb.schemaOlder}</p>}
            <div className="buttons">
              <AlertDialog.Action asChild>
                <button className={confirm === 'leave' ? 'danger-solid' : 'primary'} data-testid="shared-confirm-yes" onClick={() => confirm && run(confirm)}>
                  {confirm === 'moveToServer' ? t.sdb.moveRun : confirm === 'join' ? (mode === 'local' ? t.sdb.joinRun : t.sdb.saveRun)
                    : confirm === 'moveToLocal' ? t.sdb.copyRun : t.sdb.leaveRun}
                </button>
              </AlertDialog.Action>
              <AlertDialog.Cancel asChild><button data-testid="shared-confirm-no">{t.cancel}</button></AlertDialog.Cancel>
            </div>
          </AlertDialog.Content>
        </AlertDialog.Portal>
      </AlertDialog.Root>
    </div>
  )
}

type T = ReturnType<typeof useT>

function titles(t: T, mode: string): Record<Action, string> {
  return { moveToServer: t.sdb.moveToServer, join: mode === 'local' ? t.sdb.join : t.sdb.saveSettings, moveToLocal: t.sdb.moveToLocal, leave: t.sdb.leave }
}

function confirmText(t: T, action: Action, mode: string, formServer: string, current: string): string {
  switch (action) {
    case 'moveToServer': return t.sdb.moveToServerConfirm(formServer)
    case 'join': return mode === 'local' ? t.sdb.joinConfirm(formServer) : t.sdb.saveSettingsConfirm(formServer)
    case 'moveToLocal': return t.sdb.moveToLocalConfirm(current)
    case 'leave': return t.sdb.leaveConfirm
  }
}

// TestSummary says in words what the connection test found.
export function TestSummary({ result }: { result: SharedTestResult }) {
  const t = useT()
  const usable = ['empty', 'current', 'older'].includes(result.schema)
  const what = result.schema === 'empty' ? t.sdb.schemaEmpty
    : result.schema === 'current' || result.schema === 'older' ? t.sdb.schemaTeam(result.orders)
      : result.schema === 'newer' ? t.sdb.schemaNewer
        : result.schema === 'foreign' ? t.sdb.schemaForeign : result.schema
  return (
    <div className={usable ? 'notice' : 'warn-box'} role="status" data-testid="shared-test-result" data-schema={result.schema}>
      <div><strong>{t.sdb.testOk}</strong>{t.inParens([t.sdb.version(result.serverVersion), result.tls ? t.sdb.tlsYes : t.sdb.tlsNo].join(t.lang === 'en' ? ', ' : '、'))}</div>
      <div data-testid="shared-test-what">{what}</div>
      {result.schema === 'older' && <div className="small">{t.sdb.schemaOlder}</div>}
    </div>
  )
}

// Counts is a move's table of rows per table, both sides.
function Counts({ report }: { report: MoveReport }) {
  const t = useT()
  const kept = report.tables.some((c) => c.Kept > 0) // this desktop's own settings stay behind
  return (
    <div className="table-wrap" data-testid="shared-counts">
      <h3>{t.sdb.countsTitle}</h3>
      <table>
        <thead><tr><th>{t.sdb.countTable}</th><th className="num">{t.sdb.countSource}</th><th className="num">{t.sdb.countCopied}</th>{kept && <th className="num">{t.sdb.countKept}</th>}</tr></thead>
        <tbody>
          {report.tables.map((c) => (
            <tr key={c.Table} data-testid="shared-count" data-table={c.Table}>
              <td>{t.sdb.tables[c.Table] ? <>{t.sdb.tables[c.Table]} <span className="mono small muted">{c.Table}</span></> : <span className="mono">{c.Table}</span>}
                {c.Derived && <small className="muted"> {t.inParens(t.sdb.countDerived)}</small>}</td>
              <td className="num">{num.format(c.Source)}</td>
              <td className="num">{num.format(c.Copied)}</td>
              {kept && <td className="num">{c.Kept ? num.format(c.Kept) : ''}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
