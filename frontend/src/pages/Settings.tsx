import { useEffect, useState } from 'react'
import { toUIError, useApi } from '../api'
import type { Backups, Info, Rules, UIError } from '../api'
import { ErrorMessage } from '../components/common'
import { dateTime, useT } from '../i18n'
import { GatewaySettings } from './GatewaySettings'
import { SupportSection } from '../components/SupportSection'

// Settings is the 設定 screen: language, operator name, data folder, the demo shop.
export function Settings({ info, onChanged }: { info: Info; onChanged: () => void }) {
  const api = useApi()
  const t = useT()
  const [operator, setOperator] = useState(info.operator)
  const [error, setError] = useState<UIError | null>(null)
  const [notice, setNotice] = useState('')
  const [confirmDemo, setConfirmDemo] = useState(false)
  const [rules, setRules] = useState<Rules | null>(null)
  const [backups, setBackups] = useState<Backups | null>(null)
  const [confirmRestore, setConfirmRestore] = useState('')
  const loadBackups = () => api.backups().then(setBackups).catch((e) => setError(toUIError(e)))
  useEffect(() => {
    api.rules().then(setRules).catch((e) => setError(toUIError(e)))
    loadBackups()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api])

  const act = async (fn: () => Promise<void>, message: string) => {
    setError(null)
    setNotice('')
    try {
      await fn()
      setNotice(message)
      onChanged()
    } catch (e) {
      setError(toUIError(e))
    }
  }
  return (
    <section className="page">
      <h1>{t.settingsTitle}</h1>
      {notice && <div className="notice" role="status" data-testid="notice">{notice}</div>}
      <ErrorMessage error={error} />
      <div className="card">
        <label className="field">
          <span>{t.language}</span>
          <select data-testid="settings-language" value={info.language}
            onChange={(e) => act(() => api.setLanguage(e.target.value), t.saved)}>
            <option value="ja">日本語</option>
            <option value="en">English</option>
          </select>
        </label>
        <form onSubmit={(e) => {
          e.preventDefault()
          act(() => api.setOperator(operator), t.saved)
        }}>
          <label className="field">
            <span>{t.operatorName}</span>
            <input data-testid="settings-operator" value={operator} onChange={(e) => setOperator(e.target.value)} />
          </label>
          <button type="submit" data-testid="settings-operator-save">{t.save}</button>
        </form>
      </div>
      <GatewaySettings />
      {rules && (
        <form className="card" data-testid="rules" onSubmit={(e) => {
          e.preventDefault()
          act(() => api.saveRules(rules), t.saved)
        }}>
          <h2>{t.rulesTitle}</h2>
          <label className="field"><span>{t.syncInterval}</span>
            <input data-testid="rules-interval" inputMode="numeric" value={rules.syncIntervalMinutes}
              onChange={(e) => setRules({ ...rules, syncIntervalMinutes: e.target.value })} /></label>
          <label className="field"><span>{t.staleMinutes}</span>
            <input data-testid="rules-stale" inputMode="numeric" value={rules.staleProcessingMinutes}
              onChange={(e) => setRules({ ...rules, staleProcessingMinutes: e.target.value })} /></label>
          <label className="field"><span>{t.recheckDays}</span>
            <input data-testid="rules-recheck" inputMode="numeric" value={rules.recheckDays}
              onChange={(e) => setRules({ ...rules, recheckDays: e.target.value })} /></label>
          <label className="check"><input type="checkbox" data-testid="rules-netbank" checked={rules.netBankAutoCancel}
            onChange={(e) => setRules({ ...rules, netBankAutoCancel: e.target.checked })} /> {t.netBankAutoCancel}</label>
          <div className="buttons"><button type="submit" data-testid="rules-save">{t.save}</button></div>
        </form>
      )}
      <div className="card" data-testid="backups">
        <h2>{t.backupTitle}</h2>
        {backups?.restorePending && (
          <div className="warn-box">{t.restorePending(backups.restorePending)}
            <button onClick={() => act(() => api.cancelRestore(), t.saved).then(loadBackups)}>{t.cancelRestore}</button></div>
        )}
        <button data-testid="backup-now" onClick={async () => {
          setError(null)
          try {
            const b = await api.backup()
            setNotice(t.backupDone(b.name))
            loadBackups()
          } catch (e) {
            setError(toUIError(e))
          }
        }}>{t.backupNow}</button>
        {backups && backups.list.length === 0 && <p className="muted">{t.noBackups}</p>}
        {backups && backups.list.length > 0 && (
          <table>
            <tbody>
              {backups.list.map((b) => (
                <tr key={b.name} data-testid="backup-row">
                  <td className="mono">{b.name}</td><td>{dateTime(b.created)}</td><td className="num">{(b.size / 1024).toFixed(0)} KB</td>
                  <td>{confirmRestore === b.name ? (
                    <div className="warn-box">{t.restoreConfirm(b.name)}
                      <button className="danger" data-testid="restore-confirm" onClick={() => {
                        setConfirmRestore('')
                        act(() => api.restore(b.name), t.restorePending(b.name)).then(loadBackups)
                      }}>{t.yes}</button>
                      <button onClick={() => setConfirmRestore('')}>{t.no}</button></div>
                  ) : <button data-testid="restore" onClick={() => setConfirmRestore(b.name)}>{t.restore}</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="card">
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
    </section>
  )
}
