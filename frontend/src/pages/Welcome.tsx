import { useEffect, useState } from 'react'
import { toUIError, useApi } from '../api'
import type { UIError } from '../api'
import { ErrorMessage, Spinner } from '../components/common'
import { useT } from '../i18n'

// Welcome is the first window on a new data folder: try the demo shop, or start with
// the operator's own shop (no demo data at all). The choice is made once.
export function Welcome({ onDone }: { onDone: () => void }) {
  const api = useApi()
  const t = useT()
  const [busy, setBusy] = useState<'' | 'demo' | 'own'>('')
  const [error, setError] = useState<UIError | null>(null)

  const choose = async (kind: 'demo' | 'own') => {
    setBusy(kind)
    setError(null)
    try {
      await (kind === 'demo' ? api.startDemo() : api.startOwnShop())
      onDone()
    } catch (e) {
      setError(toUIError(e))
      setBusy('')
    }
  }
  return (
    <section className="page welcome" data-testid="welcome">
      <h1>{t.welcomeTitle}</h1>
      <p>{t.welcomeLead}</p>
      <div className="choices">
        <div className="card choice">
          <h2>{t.welcomeDemo}</h2>
          <p>{t.welcomeDemoHelp}</p>
          <button className="primary" data-testid="welcome-demo" disabled={busy !== ''} onClick={() => choose('demo')}>{t.welcomeDemo}</button>
        </div>
        <div className="card choice">
          <h2>{t.welcomeOwn}</h2>
          <p>{t.welcomeOwnHelp}</p>
          <ol className="steps">
            <li>{t.gsGateway}</li>
            <li>{t.gsImport}</li>
            <li>{t.gsLink}</li>
          </ol>
          <button className="primary" data-testid="welcome-own" disabled={busy !== ''} onClick={() => choose('own')}>{t.welcomeOwn}</button>
        </div>
      </div>
      {busy && <Spinner text={busy === 'demo' ? t.welcomePreparingDemo : t.welcomePreparing} />}
      <ErrorMessage error={error} />
    </section>
  )
}

export type GettingStartedStep = 'settings' | 'import' | 'unlinked'

// GettingStarted is the checklist on the empty order list of a new own shop:
// ① ゲートウェイ設定 ② 受注取込 ③ 連携.
export function GettingStarted({ onGo }: { onGo: (where: GettingStartedStep) => void }) {
  const api = useApi()
  const t = useT()
  const [hasProfile, setHasProfile] = useState(false)
  useEffect(() => {
    api.profiles().then((ps) => setHasProfile(ps.some((p) => !p.demo))).catch(() => setHasProfile(false))
  }, [api])
  const step = (n: string, testId: string, title: string, help: string, where: GettingStartedStep, done = false) => (
    <li className={done ? 'done' : ''} data-testid={testId} data-done={done}>
      <span className="step-no">{done ? '✓' : n}</span>
      <div>
        <strong>{title}</strong>
        <div className="sub">{help}</div>
      </div>
      <button onClick={() => onGo(where)}>{t.gsOpen}</button>
    </li>
  )
  return (
    <div className="card getting-started" data-testid="getting-started">
      <h2>{t.gsTitle}</h2>
      <p className="muted">{t.gsLead}</p>
      <ol className="checklist">
        {step('①', 'gs-gateway', t.gsGateway, t.gsGatewayHelp, 'settings', hasProfile)}
        {step('②', 'gs-import', t.gsImport, t.gsImportHelp, 'import')}
        {step('③', 'gs-link', t.gsLink, t.gsLinkHelp, 'unlinked')}
      </ol>
    </div>
  )
}
