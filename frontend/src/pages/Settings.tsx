import { useState } from 'react'
import { toUIError, useApi } from '../api'
import type { Info, UIError } from '../api'
import { ErrorMessage } from '../components/common'
import { useT } from '../i18n'

// Settings is the 設定 screen: language, operator name, data folder, the demo shop.
export function Settings({ info, onChanged }: { info: Info; onChanged: () => void }) {
  const api = useApi()
  const t = useT()
  const [operator, setOperator] = useState(info.operator)
  const [error, setError] = useState<UIError | null>(null)
  const [notice, setNotice] = useState('')
  const [confirmDemo, setConfirmDemo] = useState(false)

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
      <div className="card">
        <dl>
          <dt>{t.dataDir}</dt><dd className="mono" data-testid="settings-datadir">{info.dataDir}</dd>
          <dt>{t.database}</dt><dd className="mono">{info.database}</dd>
          <dt>{t.version}</dt><dd className="mono">{info.version}</dd>
        </dl>
      </div>
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
