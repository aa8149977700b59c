import * as Dialog from '@radix-ui/react-dialog'
import { useEffect, useState } from 'react'
import { toUIError, useApi } from '../api'
import type { AboutInfo, LicenseEntry, UIError } from '../api'
import { useT } from '../i18n'
import { ErrorMessage } from './common'

// SupportSection is 設定's サポート card: how much the log says, 「ログを開く」 (the OS's
// file manager), 「サポート用情報を書き出す」 (a zip through the OS save dialog) and About
// (versions and the generated licences of the third-party code shipped).
export function SupportSection() {
  const api = useApi()
  const t = useT()
  const [about, setAbout] = useState<AboutInfo | null>(null)
  const [error, setError] = useState<UIError | null>(null)
  const [notice, setNotice] = useState('')
  useEffect(() => {
    api.about().then(setAbout).catch((e) => setError(toUIError(e)))
  }, [api])

  const act = async (fn: () => Promise<void>) => {
    setError(null)
    setNotice('')
    try {
      await fn()
    } catch (e) {
      setError(toUIError(e))
    }
  }
  return (
    <div className="card" data-testid="support">
      <h2>{t.supportTitle}</h2>
      <p className="muted">{t.supportHelp}</p>
      {notice && <div className="notice" role="status" data-testid="support-notice">{notice}</div>}
      <ErrorMessage error={error} />
      {about && (
        <label className="field">
          <span>{t.logLevel}</span>
          <select data-testid="support-log-level" value={about.logLevel}
            onChange={(e) => {
              const level = e.target.value
              act(async () => {
                await api.setLogLevel(level)
                setAbout({ ...about, logLevel: level })
                setNotice(t.saved)
              })
            }}>
            {about.logLevels.map((l) => <option key={l} value={l}>{t.logLevelNames[l] ?? l}</option>)}
          </select>
        </label>
      )}
      <div className="buttons">
        <button data-testid="support-open-logs" onClick={() => act(() => api.openLogFolder())}>{t.openLogs}</button>
        <button data-testid="support-export" onClick={() => act(async () => {
          const path = await api.exportSupportBundle()
          if (path) setNotice(t.supportSaved(path))
        })}>{t.exportSupport}</button>
        {about && <AboutDialog about={about} />}
      </div>
    </div>
  )
}

function AboutDialog({ about }: { about: AboutInfo }) {
  const t = useT()
  return (
    <Dialog.Root>
      <Dialog.Trigger asChild><button data-testid="about-open">{t.aboutOpen}</button></Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content className="dialog" style={{ width: 'min(720px, 94vw)' }} data-testid="about-dialog" aria-describedby={undefined}>
          <Dialog.Title>{t.aboutTitle}</Dialog.Title>
          <dl>
            <dt>{t.version}</dt><dd className="mono" data-testid="about-version">{about.version}</dd>
            <dt>{t.buildDate}</dt><dd className="mono">{about.buildDate || '—'}</dd>
            <dt>{t.platform}</dt><dd className="mono">{about.platform} · {about.go}</dd>
            <dt>{t.logFolder}</dt><dd className="mono">{about.logDir}</dd>
          </dl>
          <h3>{t.licensesTitle}</h3>
          <div data-testid="about-licenses" style={{ maxHeight: '45vh', overflow: 'auto', border: '1px solid #e5e7eb', borderRadius: 6, padding: '4px 10px' }}>
            <Licenses title={t.licensesGo} list={about.goModules} />
            <Licenses title={t.licensesNpm} list={about.npmPackages} />
          </div>
          <div className="buttons">
            <Dialog.Close asChild><button data-testid="about-close">{t.closeDialog}</button></Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}

function Licenses({ title, list }: { title: string; list: LicenseEntry[] }) {
  return (
    <>
      <h4>{title} ({list.length})</h4>
      {list.map((e) => (
        <details key={e.name + '@' + e.version} data-testid="license">
          <summary><span className="mono">{e.name}</span> {e.version} — {e.license}</summary>
          <pre style={{ whiteSpace: 'pre-wrap', fontSize: 11, background: '#f8f9fb', padding: 8 }}>{e.text}</pre>
        </details>
      ))}
    </>
  )
}
