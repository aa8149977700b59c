import type { Label, UIError } from '../api'
import { useT } from '../i18n'

// Badge shows a state with the operators' word and a colour per kind of state.
export function Badge({ label, kind, testId }: { label: Label; kind: 'payment' | 'status'; testId?: string }) {
  const t = useT()
  if (!label || !label.code) return <span className="muted">—</span>
  return (
    <span className={`badge ${kind}-${label.code}`} data-testid={testId} data-state={label.code}>
      {t.label(label)}
    </span>
  )
}

export function ErrorMessage({ error }: { error: UIError | null }) {
  const t = useT()
  if (!error) return null
  return (
    <div className="error" role="alert" data-testid="error-message" data-code={error.code}>
      <strong>{t.errorTitle}</strong> {t.lang === 'en' ? error.messageEn || error.message : error.message}
    </div>
  )
}

export function Spinner({ text }: { text: string }) {
  return (
    <div className="progress" role="status">
      <span className="spinner" aria-hidden="true" /> {text}
    </div>
  )
}
