import { useEffect, useRef, useState } from 'react'
import { toUIError, useApi } from '../api'
import type { ExportEncoding, ExportProgress, ExportResult, OrderSearch, UIError } from '../api'
import { useT } from '../i18n'
import { ErrorMessage, ProgressBar } from './common'

// ExportDialog is CSV出力 of the current search: Shift_JIS for Excel or UTF-8 with BOM,
// to a file chosen in the save dialog (or a path typed here), with progress and 中止.
export function ExportDialog({ query, count, onClose }: { query: OrderSearch; count: number; onClose: () => void }) {
  const api = useApi()
  const t = useT()
  const [encoding, setEncoding] = useState<ExportEncoding>('cp932')
  const [path, setPath] = useState('')
  const [running, setRunning] = useState(false)
  const [progress, setProgress] = useState<ExportProgress | null>(null)
  const [stopping, setStopping] = useState(false)
  const stopped = useRef(false)
  const [result, setResult] = useState<ExportResult | null>(null)
  const [notice, setNotice] = useState('')
  const [error, setError] = useState<UIError | null>(null)

  useEffect(() => api.onEvent('export:progress', (d) => setProgress(d as ExportProgress)), [api])

  const start = async () => {
    stopped.current = false
    setStopping(false)
    setRunning(true)
    setProgress(null)
    setResult(null)
    setNotice('')
    setError(null)
    try {
      const r = await api.exportOrders(query, encoding, path.trim())
      if (r.path) setResult(r)
      else setNotice(stopped.current ? t.exportStopped : t.exportNotSaved)
    } catch (e) {
      if (stopped.current) setNotice(t.exportStopped)
      else setError(toUIError(e))
    } finally {
      setRunning(false)
    }
  }
  const stop = () => {
    stopped.current = true
    setStopping(true)
    api.exportCancel().catch((e) => setError(toUIError(e)))
  }
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="export-title" data-testid="export-dialog">
      <div className="dialog">
        <h2 id="export-title">{t.exportTitle}</h2>
        <p>{t.exportLead(count)}</p>
        <fieldset>
          <legend>{t.encoding}</legend>
          <label><input type="radio" name="export-encoding" data-testid="export-enc-cp932" checked={encoding === 'cp932'} disabled={running}
            onChange={() => setEncoding('cp932')} /> {t.exportCp932}</label>
          <label><input type="radio" name="export-encoding" data-testid="export-enc-utf-8" checked={encoding === 'utf-8'} disabled={running}
            onChange={() => setEncoding('utf-8')} /> {t.exportUtf8}</label>
        </fieldset>
        <label className="field">
          <span>{t.exportPath}</span>
          <input data-testid="export-path" value={path} disabled={running} placeholder={t.exportPathHint} onChange={(e) => setPath(e.target.value)} />
        </label>
        {running && (
          <ProgressBar testId="export-progress" text={t.exportRunning(progress?.rows ?? 0, progress?.total ?? count)}
            value={progress?.rows ?? 0} max={progress?.total ?? count} onCancel={stop} stopping={stopping} />
        )}
        {result && <div className="notice" role="status" data-testid="export-result" data-path={result.path}>{t.exportDone(result.count, result.path)}</div>}
        {notice && <div className="notice" role="status" data-testid="export-notice">{notice}</div>}
        <ErrorMessage error={error} />
        <div className="buttons">
          <button className="primary" data-testid="export-submit" disabled={running} onClick={start}>{t.exportSubmit}</button>
          <button data-testid="export-close" disabled={running} onClick={onClose}>{t.cancel}</button>
        </div>
      </div>
    </div>
  )
}
