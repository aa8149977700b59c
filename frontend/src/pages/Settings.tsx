import { useEffect, useState } from 'react'
import { toUIError, useApi } from '../api'
import type { Backups, Info, RestoreNote, Rules, SyncRun, UIError } from '../api'
import { ErrorMessage, fileSize } from '../components/common'
import { dateTime, useT } from '../i18n'
import { GatewaySettings } from './GatewaySettings'
import { SupportSection } from '../components/SupportSection'
import { SharedDBSection } from './SharedDB'

export type SettingsSection = 'gateways' | 'sync' | 'operator' | 'display' | 'backup' | 'shared' | 'advanced'
const sections: SettingsSection[] = ['gateways', 'sync', 'operator', 'display', 'backup', 'shared', 'advanced']

// Settings is the 設定 screen: its sections in a side list, one shown at a time.
export function Settings({ info, onChanged, section: initial = 'gateways' }: { info: Info; onChanged: () => void; section?: SettingsSection }) {
  const t = useT()
  const [section, setSection] = useState<SettingsSection>(initial)
  return (
    <section className="page settings">
      <h1>{t.settingsTitle}</h1>
      <div className="settings-layout">
        <nav className="settings-nav" aria-label={t.settingsTitle}>
          {sections.map((s) => (
            <button key={s} data-testid={`settings-nav-${s}`} className={section === s ? 'active' : ''} aria-current={section === s ? 'page' : undefined}
              onClick={() => setSection(s)}>{t.set.sections[s]}</button>
          ))}
        </nav>
        <div className="settings-body" data-testid={`settings-${section}`}>
          {section === 'gateways' && <GatewaySettings />}
          {section === 'sync' && <SyncSection />}
          {section === 'operator' && <OperatorSection info={info} onChanged={onChanged} />}
          {section === 'display' && <DisplaySection info={info} onChanged={onChanged} />}
          {section === 'backup' && <BackupSection shared={info.databaseMode === 'shared' || info.databaseMode === 'offline'} />}
          {section === 'shared' && <SharedDBSection />}
          {section === 'advanced' && <AdvancedSection info={info} onChanged={onChanged} />}
        </div>
      </div>
    </section>
  )
}

// useAct runs a save and reports it.
function useAct(onChanged?: () => void) {
  const [error, setError] = useState<UIError | null>(null)
  const [notice, setNotice] = useState('')
  const act = async (fn: () => Promise<unknown>, message: string) => {
    setError(null)
    setNotice('')
    try {
      await fn()
      setNotice(message)
      onChanged?.()
      return true
    } catch (e) {
      setError(toUIError(e))
      return false
    }
  }
  const messages = <>
    {notice && <div className="notice" role="status" data-testid="notice">{notice}</div>}
    <ErrorMessage error={error} />
  </>
  return { act, messages, setError, setNotice }
}

function OperatorSection({ info, onChanged }: { info: Info; onChanged: () => void }) {
  const api = useApi()
  const t = useT()
  const [operator, setOperator] = useState(info.operator)
  const { act, messages } = useAct(onChanged)
  return (
    <div className="card">
      <h2>{t.set.sections.operator}</h2>
      {messages}
      <form onSubmit={(e) => {
        e.preventDefault()
        act(() => api.setOperator(operator), t.saved)
      }}>
        <label className="field"><span>{t.operatorName}</span>
          <input data-testid="settings-operator" size={24} maxLength={40} value={operator} onChange={(e) => setOperator(e.target.value)} /></label>
        <p className="muted small">{t.set.operatorHelp}</p>
        <button type="submit" data-testid="settings-operator-save">{t.save}</button>
      </form>
    </div>
  )
}

function DisplaySection({ info, onChanged }: { info: Info; onChanged: () => void }) {
  const api = useApi()
  const t = useT()
  const { act, messages } = useAct(onChanged)
  return (
    <div className="card">
      <h2>{t.set.sections.display}</h2>
      {messages}
      <label className="field"><span>{t.language}</span>
        <select data-testid="settings-language" value={info.language} onChange={(e) => act(() => api.setLanguage(e.target.value), t.saved)}>
          <option value="ja">日本語</option>
          <option value="en">English</option>
        </select></label>
    </div>
  )
}

function SyncSection() {
  const api = useApi()
  const t = useT()
  const [rules, setRules] = useState<Rules | null>(null)
  const [runs, setRuns] = useState<SyncRun[]>([])
  const { act, messages, setError } = useAct()
  useEffect(() => {
    api.rules().then(setRules).catch((e) => setError(toUIError(e)))
    api.syncRuns().then(setRuns).catch((e) => setError(toUIError(e)))
  }, [api]) // eslint-disable-line react-hooks/exhaustive-deps
  const num = (key: keyof Rules, label: string, unit: string, help: string, testId: string) => rules && (
    <label className="field inline">
      <span>{label}</span>
      <span><input data-testid={testId} inputMode="numeric" size={5} value={String(rules[key] ?? '')}
        onChange={(e) => setRules({ ...rules, [key]: e.target.value })} /> {unit}</span>
      <small className="muted">{help}</small>
    </label>
  )
  return (
    <>
      {messages}
      {rules && (
        <form className="card" data-testid="rules" onSubmit={(e) => {
          e.preventDefault()
          act(() => api.saveRules(rules), t.saved)
        }}>
          <h2>{t.set.syncTitle}</h2>
          {num('syncIntervalMinutes', t.set.interval, t.set.minutes, t.set.intervalHelp, 'rules-interval')}
          {num('recheckDays', t.set.recheck, t.set.days, t.set.recheckHelp, 'rules-recheck')}
          {num('expiryWarningDays', t.set.expiryWarning, t.set.days, t.set.expiryWarningHelp, 'rules-expiry')}
          {num('staleProcessingMinutes', t.set.stale, t.set.minutes, t.set.staleHelp, 'rules-stale')}
          <label className="check"><input type="checkbox" data-testid="rules-netbank" checked={rules.netBankAutoCancel}
            onChange={(e) => setRules({ ...rules, netBankAutoCancel: e.target.checked })} /> {t.netBankAutoCancel}</label>
          <div className="buttons"><button type="submit" className="primary" data-testid="rules-save">{t.save}</button></div>
        </form>
      )}
      <div className="card" data-testid="sync-runs">
        <h2>{t.set.runsTitle}</h2>
        {runs.length === 0 ? <p className="muted">{t.set.noRuns}</p> : (
          <div className="table-wrap">
            <table>
              <thead><tr><th>{t.set.runAt}</th><th>{t.set.runKind}</th><th className="num">{t.set.checked}</th><th>{t.set.result}</th></tr></thead>
              <tbody>
                {runs.map((r, i) => (
                  <tr key={i} data-testid="sync-run" className={r.errors.length || r.offline.length ? 'overdue' : ''}>
                    <td className="nowrap">{dateTime(r.startedAt)}</td>
                    <td>{r.full ? t.set.runFull : t.set.runPeriodic}</td>
                    <td className="num">{r.checked}</td>
                    <td>{runSummary(r, t)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  )
}

function runSummary(r: SyncRun, t: ReturnType<typeof useT>): string {
  const parts: string[] = []
  if (r.deposits) parts.push(t.set.runDeposits(r.deposits))
  if (r.expired) parts.push(t.set.runExpired(r.expired))
  if (r.updated) parts.push(t.set.runUpdated(r.updated))
  if (r.drifts) parts.push(t.set.runDrifts(r.drifts))
  if (r.resolved) parts.push(t.set.runResolved(r.resolved))
  if (r.holds) parts.push(t.set.runHolds(r.holds))
  if (r.offline.length) parts.push(t.set.runOffline(r.offline.join(t.lang === 'en' ? ', ' : '、')))
  parts.push(...r.errors) // in the window's language (Go picks it)
  return parts.length ? parts.join(t.lang === 'en' ? t.listSep : ' ・ ') : t.set.runNoChange
}

// BackupSection: backups of this PC's database. A shared database is backed up on its
// server (pg_dump), so in shared mode the buttons give way to a note that says so.
function BackupSection({ shared }: { shared: boolean }) {
  const api = useApi()
  const t = useT()
  const [backups, setBackups] = useState<Backups | null>(null)
  const [auto, setAuto] = useState(true)
  const [keep, setKeep] = useState('14')
  const [confirmRestore, setConfirmRestore] = useState('')
  const { act, messages, setError, setNotice } = useAct()
  const load = () => api.backups().then((b) => {
    setBackups(b)
    setAuto(b.auto ?? true)
    setKeep(String(b.keep ?? 14))
  }).catch((e) => setError(toUIError(e)))
  useEffect(() => {
    load()
  }, [api]) // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <>
      {messages}
      {backups?.restorePending && (
        <div className="warn-box restore-pending" data-testid="restore-pending">
          <p>{t.restorePending(backups.restorePending)}</p>
          <button className="primary" data-testid="restart" onClick={() => act(() => api.restart(), t.set.restarting)}>{t.set.restartNow}</button>
          <button onClick={() => act(() => api.cancelRestore(), t.saved).then(load)}>{t.cancelRestore}</button>
        </div>
      )}
      {shared && <div className="card" data-testid="backup-shared"><p>{t.sdb.backupShared}</p></div>}
      {!shared && <form className="card" data-testid="backup-settings" onSubmit={(e) => {
        e.preventDefault()
        act(() => api.saveBackupSettings(auto, keep), t.saved).then(load)
      }}>
        <h2>{t.set.autoTitle}</h2>
        <label className="check"><input type="checkbox" data-testid="backup-auto" checked={auto} onChange={(e) => setAuto(e.target.checked)} /> {t.set.autoOn}</label>
        <label className="field inline"><span>{t.set.keep}</span>
          <span><input data-testid="backup-keep" inputMode="numeric" size={4} value={keep} onChange={(e) => setKeep(e.target.value)} /> {t.set.keepUnit}</span>
          <small className="muted">{t.set.keepHelp}</small></label>
        <div className="buttons"><button type="submit" className="primary" data-testid="backup-settings-save">{t.save}</button></div>
      </form>}
      <div className="card" data-testid="backups">
        <h2>{t.backupTitle}</h2>
        {!shared && <div className="buttons">
          <button data-testid="backup-now" onClick={async () => {
            setError(null)
            try {
              const b = await api.backup()
              setNotice(t.backupDone(b.name))
              load()
            } catch (e) {
              setError(toUIError(e))
            }
          }}>{t.backupNow}</button>
          <button data-testid="restore-file" onClick={async () => {
            setError(null)
            setNotice('')
            try {
              const c = await api.restoreFromFile('')
              if (c) setNotice(t.set.restoreChosen(c.name, c.orders))
              load()
            } catch (e) {
              setError(toUIError(e))
            }
          }}>{t.set.restoreFile}</button>
        </div>}
        {!shared && <p className="muted small">{t.set.backupHelp(backups?.folder ?? '')}</p>}
        {backups && backups.list.length === 0 && <p className="muted">{t.noBackups}</p>}
        {backups && backups.list.length > 0 && (
          <div className="table-wrap">
            <table className="backup-list">
              <thead><tr><th>{t.set.created}</th><th>{t.set.kind}</th><th className="num">{t.set.size}</th><th>{t.set.file}</th><th /></tr></thead>
              <tbody>
                {backups.list.map((b) => (
                  <tr key={b.name} data-testid="backup-row" data-kind={b.kind}>
                    <td className="nowrap">{dateTime(b.created)}</td>
                    <td className="nowrap">{t.set.kinds[(b.kind ?? 'manual') as keyof typeof t.set.kinds] ?? b.kind}</td>
                    <td className="num nowrap">{fileSize(b.size)}</td>
                    <td className="mono small">{b.name}</td>
                    <td className="nowrap">{shared ? null : confirmRestore === b.name ? (
                      <span className="confirm-inline">{t.set.restoreAsk}
                        <button className="danger" data-testid="restore-confirm" onClick={() => {
                          setConfirmRestore('')
                          act(() => api.restore(b.name), t.restorePending(b.name)).then(load)
                        }}>{t.restore}</button>
                        <button onClick={() => setConfirmRestore('')}>{t.cancel}</button></span>
                    ) : <button data-testid="restore" onClick={() => setConfirmRestore(b.name)}>{t.restore}</button>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  )
}

function AdvancedSection({ info, onChanged }: { info: Info; onChanged: () => void }) {
  const api = useApi()
  const t = useT()
  const [confirmDemo, setConfirmDemo] = useState(false)
  const { act, messages } = useAct(onChanged)
  return (
    <>
      {messages}
      <div className="card">
        <h2>{t.set.sections.advanced}</h2>
        <dl>
          <dt>{t.dataDir}</dt><dd className="mono" data-testid="settings-datadir">{info.dataDir}</dd>
          <dt>{t.database}</dt><dd className="mono">{info.database}</dd>
          <dt>{t.version}</dt><dd className="mono">{info.version}</dd>
        </dl>
      </div>
      <SupportSection />
      <div className="card">
        <h2>{t.demoSection}</h2>
        {!info.demo ? <p className="muted">{t.noDemo}</p> : confirmDemo ? (
          <div className="warn-box">
            <p>{t.removeDemoConfirm}</p>
            <button className="danger" data-testid="remove-demo-confirm" onClick={() => {
              setConfirmDemo(false)
              act(() => api.removeDemo(), t.demoRemoved)
            }}>{t.yes}</button>
            <button onClick={() => setConfirmDemo(false)}>{t.no}</button>
          </div>
        ) : (
          <>
            <p>{t.demoNotice}</p>
            <button className="danger" data-testid="remove-demo" onClick={() => setConfirmDemo(true)}>{t.removeDemo}</button>
          </>
        )}
      </div>
    </>
  )
}

// RestoreNoteBanner says, after the restart, what the restore did (or why it refused).
export function RestoreNoteBanner() {
  const api = useApi()
  const t = useT()
  const [note, setNote] = useState<RestoreNote | null>(null)
  useEffect(() => {
    api.restoreNote().then(setNote).catch(() => setNote(null))
  }, [api])
  if (!note) return null
  return (
    <div className={note.refused ? 'warn-box' : 'notice'} role="status" data-testid="restore-note">
      {note.refused ? t.set.restoreRefused(note.name, note.refused) : <>
        {t.set.restored(note.name, dateTime(note.created), note.orders)} {note.previous && t.set.restoredPrev(note.previous)}
      </>}
      <button onClick={() => api.dismissRestoreNote().then(() => setNote(null))}>{t.set.close}</button>
    </div>
  )
}
