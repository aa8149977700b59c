import type { Label, UIError } from '../api'
import { useT } from '../i18n'

// Badge shows a state with the operators' word and a colour per kind of state.
export function Badge({ label, kind, testId }: { label: Label; kind: 'payment' | 'status' | 'link'; testId?: string }) {
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

// ProgressBar shows a long job's progress with a 中止 button.
export function ProgressBar({ text, value, max, onCancel, testId, stopping }: {
  text: string
  value: number
  max: number
  onCancel?: () => void
  testId: string
  stopping?: boolean
}) {
  const t = useT()
  return (
    <div className="bulk-progress" role="status" data-testid={testId}>
      <span className="spinner" aria-hidden="true" /> {text}
      {max > 0 ? <progress max={max} value={Math.min(value, max)} /> : <progress />}
      {onCancel && <button data-testid={`${testId}-stop`} disabled={stopping} onClick={onCancel}>{stopping ? t.stopping : t.stop}</button>}
    </div>
  )
}

// FilePath is a file's path typed or pasted by the operator, or chosen with 参照…
// (the OS dialog). Pasting a path is quicker for a file the operator has open.
export function FilePath({ value, onChange, onBrowse, onLoad, testId, disabled }: {
  value: string
  onChange: (v: string) => void
  onBrowse: () => void
  onLoad?: () => void // shows 読み込む when given
  testId: string
  disabled?: boolean
}) {
  const t = useT()
  return (
    <div className="file-path">
      <label className="field">
        <span>{t.filePath}</span>
        <input data-testid={`${testId}-path`} value={value} placeholder={t.filePathHint} disabled={disabled}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && value.trim() && onLoad) {
              e.preventDefault()
              onLoad()
            }
          }} />
      </label>
      <button type="button" data-testid={`${testId}-browse`} disabled={disabled} onClick={onBrowse}>{t.browse}</button>
      {onLoad && <button type="button" data-testid={`${testId}-load`} disabled={disabled || !value.trim()} onClick={onLoad}>{t.readFile}</button>}
    </div>
  )
}

// fileSize shows a byte count the way Explorer does.
export function fileSize(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

// encodingName names a character encoding code for the operator.
export function encodingName(code: string, lang: 'ja' | 'en' = 'ja'): string {
  const bom = lang === 'en' ? 'UTF-8 with BOM' : 'UTF-8（BOM付き）'
  const names: Record<string, string> = {
    cp932: 'Shift_JIS (CP932)', shift_jis: 'Shift_JIS (CP932)', sjis: 'Shift_JIS (CP932)',
    'utf-8': 'UTF-8', utf8: 'UTF-8', 'utf-8-bom': bom, 'utf-8 bom': bom, 'utf-8-sig': bom,
  }
  return names[code.toLowerCase()] ?? code
}
